// The `brook` command table as src/cli/main.ts builds it (its imports and the COMMANDS list),
// loaded without importing main.ts, which runs the CLI on process.argv when imported. A command
// line from a Dockerfile, a task definition or a compose file is checked with the CLI's own parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, parseCommandArgs } from '../../src/cli/command.ts';
import { REPO } from './hcl.ts';

const MAIN = join(REPO, 'src/cli/main.ts');

let table: Promise<Map<string, Command>> | undefined;

export function brookCommands(): Promise<Map<string, Command>> {
  table ??= (async () => {
    const text = readFileSync(MAIN, 'utf8');
    const files = new Map([...text.matchAll(/import \{ (\w+) \} from '\.\/([\w-]+\.ts)';/g)].map((m) => [m[1]!, m[2]!]));
    const list = /const COMMANDS: Command\[\] = \[([^\]]*)\]/.exec(text);
    if (!list) throw new Error(`no COMMANDS table in ${MAIN}`);
    const out = new Map<string, Command>();
    for (const name of list[1]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const file = files.get(name);
      if (!file) throw new Error(`${name} of COMMANDS is not imported in ${MAIN}`);
      const cmd = (await import(join(REPO, 'src/cli', file)))[name] as Command;
      out.set(cmd.name, cmd);
    }
    return out;
  })();
  return table;
}

/**
 * The subcommands a command takes, from its usage: `brook config print|check|schema`, `brook
 * opensearch setup ...`, or the list under `brook topics <subcommand>`; null for commands that
 * take free positionals (`brook consume <topic>`) or none.
 */
export function subcommandsOf(command: Command): string[] | null {
  const third = command.usage.split(/\s+/)[2] ?? '';
  if (/^[a-z][\w-]*(\|[a-z][\w-]*)*$/.test(third)) return third.split('|');
  if (third !== '<subcommand>') return null;
  return [...command.usage.matchAll(new RegExp(`^\\s*brook ${command.name} ([a-z][\\w-]*)`, 'gm'))].map((m) => m[1]!);
}

export interface ParsedCommandLine {
  command: Command;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses a `brook` command line (without `brook`) as the CLI would: the command must be in the
 * table, every flag one of its options, and a subcommand (`topics create`) one it has.
 */
export async function parseBrookCommandLine(argv: string[]): Promise<ParsedCommandLine> {
  const [name, ...rest] = argv;
  const command = (await brookCommands()).get(name ?? '');
  if (!command) throw new Error(`brook has no command '${name}' (src/cli/main.ts)`);
  const { values, positionals } = parseCommandArgs(command, rest);
  const subcommands = subcommandsOf(command);
  const sub = positionals[0];
  if (subcommands !== null && (sub === undefined || !subcommands.includes(sub)))
    throw new Error(`brook ${command.name} has no subcommand '${sub}' (it has ${subcommands.join(', ')})`);
  return { command, values, positionals };
}
