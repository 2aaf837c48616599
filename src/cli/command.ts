// The shape of a CLI command and the shared argument parsing and help rendering, so every
// command gets the same `--help`, the same errors for unknown or malformed flags.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BrookError } from '../common/errors.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help; also the value used when the flag is absent. */
  default?: string | boolean;
  description: string;
  /** Placeholder in help, e.g. 'PORT'. */
  valueName?: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Rewrites argv before parsing (e.g. multi-letter single-dash flags to their long forms). */
  rewriteArgs?(argv: string[]): string[];
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

/** A string option for a command's table: description, placeholder, and default when absent. */
export function stringOption(description: string, valueName: string, dflt?: string): OptionSpec {
  return { type: 'string', description, valueName, ...(dflt !== undefined ? { default: dflt } : {}) };
}

/** A boolean flag for a command's table. */
export function flagOption(description: string): OptionSpec {
  return { type: 'boolean', description };
}

export class UsageError extends BrookError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** The contents of the file a flag names (a PEM certificate or key), or a usage error naming the flag. */
export function readFlagFile(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read --${flag} file '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function parseCommandArgs(
  cmd: Command,
  argv: string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }> = {};
  for (const [name, spec] of Object.entries(cmd.options)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    };
  }
  options.help = { type: 'boolean', short: 'h' };
  try {
    const args = cmd.rewriteArgs ? cmd.rewriteArgs(argv) : argv;
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun 'brook ${cmd.name} --help' for the options.`);
  }
}

export function renderHelp(cmd: Command): string {
  const lines = [`Usage: ${cmd.usage}`, '', cmd.summary, '', 'Options:'];
  const rows = Object.entries(cmd.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    const dflt = spec.default !== undefined && spec.default !== false ? ` (default: ${spec.default})` : '';
    return [flag, `${spec.description}${dflt}`] as const;
  });
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  return `${lines.join('\n')}\n`;
}

/** Parses an integer option with a clear message naming the flag. */
export function intOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}
