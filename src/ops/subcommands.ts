// A command made of subcommands (`brook topics create ...`): one usage text listing each with an
// example, `brook <cmd> help <sub>` for one of them, and dispatch with the positionals that follow.
import { type Command, type OptionSpec, UsageError } from '../cli/command.ts';
import type { Values } from './args.ts';
import { type OpsIo, processIo } from './io.ts';

export interface Subcommand {
  usage: string;
  summary: string;
  example: string;
  run(args: string[], values: Values, io: OpsIo): Promise<number>;
}

export interface SubcommandsSpec {
  name: string;
  summary: string;
  subcommands: Record<string, Subcommand>;
  options: Record<string, OptionSpec>;
  rewriteArgs?: (argv: string[]) => string[];
}

/** The io of a command: the given one (tests) or, on first use, the process's. */
export function ioGetter(io: OpsIo | undefined): () => OpsIo {
  let made: OpsIo | undefined = io;
  return () => (made ??= processIo());
}

export function subcommandsUsage(spec: SubcommandsSpec): string {
  return [
    `brook ${spec.name} <subcommand> [arguments] [options]`,
    '',
    'Subcommands:',
    ...Object.values(spec.subcommands).flatMap((s) => [`  ${s.usage}`, `      ${s.summary}`, `      e.g. ${s.example}`]),
    '',
    `Run 'brook ${spec.name} help <subcommand>' for one subcommand.`,
  ].join('\n');
}

export function commandWithSubcommands(spec: SubcommandsSpec, io?: OpsIo): Command {
  const getIo = ioGetter(io);
  const usage = subcommandsUsage(spec);
  const names = Object.keys(spec.subcommands);
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    options: spec.options,
    ...(spec.rewriteArgs ? { rewriteArgs: spec.rewriteArgs } : {}),
    async run(values, positionals) {
      const [name, ...args] = positionals;
      if (name === undefined) throw new UsageError(`which subcommand? one of ${names.join(', ')}\nUsage: ${usage}`);
      if (name === 'help') {
        const which = args[0];
        if (which === undefined) getIo().out(`${usage}\n`);
        else {
          const sub = Object.hasOwn(spec.subcommands, which) ? spec.subcommands[which] : undefined;
          if (!sub) throw new UsageError(`unknown subcommand '${which}'; one of ${names.join(', ')}`);
          getIo().out(
            `Usage: ${sub.usage}\n\n${sub.summary}\n\nExample:\n  ${sub.example}\n\nRun 'brook ${spec.name} --help' for all options.\n`,
          );
        }
        return 0;
      }
      const sub = Object.hasOwn(spec.subcommands, name) ? spec.subcommands[name] : undefined;
      if (!sub) throw new UsageError(`unknown subcommand '${name}'; one of ${names.join(', ')}`);
      return sub.run(args, values, getIo());
    },
  };
}
