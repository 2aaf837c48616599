// Flag parsing the operator commands share: repeatable flags (--config, --header, ...), k=v pairs,
// times (epoch ms or ISO), integers, and the one-positional checks, each with a message naming the flag.
import { UsageError } from '../cli/command.ts';

export type Values = Record<string, string | boolean | undefined>;

// NUL cannot occur inside a command-line argument, so it safely joins a flag's repeated values.
const SEP = '\0';

/**
 * The shared parser keeps only the last value of a repeated string flag; this rewrite gathers every
 * `--name V`, `--name=V` and `-x V` of the given flags into one `--name` whose values are NUL-joined.
 */
export function gatherRepeated(flags: Record<string, string | undefined>): (argv: string[]) => string[] {
  const byShort = new Map<string, string>();
  for (const [name, short] of Object.entries(flags)) if (short) byShort.set(`-${short}`, name);
  return (argv) => {
    const gathered = new Map<string, string[]>();
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--') {
        rest.push(...argv.slice(i));
        break;
      }
      const eq = /^--([^=]+)=([\s\S]*)$/.exec(arg);
      let name: string | undefined;
      let value: string | undefined;
      if (eq && Object.hasOwn(flags, eq[1]!)) {
        name = eq[1]!;
        value = eq[2]!;
      } else if (arg.startsWith('--') && Object.hasOwn(flags, arg.slice(2))) {
        name = arg.slice(2);
      } else if (byShort.has(arg)) {
        name = byShort.get(arg)!;
      }
      if (name === undefined) {
        rest.push(arg);
        continue;
      }
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`option --${name} needs a value`);
        value = argv[++i]!;
      }
      const list = gathered.get(name) ?? [];
      list.push(value);
      gathered.set(name, list);
    }
    const out: string[] = [];
    for (const [name, list] of gathered) out.push(`--${name}=${list.join(SEP)}`);
    // Gathered flags go first so positionals after `--` stay positionals.
    return [...out, ...rest];
  };
}

/** All values of a flag gathered by gatherRepeated (empty when absent). */
export function repeated(values: Values, name: string): string[] {
  const v = values[name];
  return typeof v === 'string' ? v.split(SEP) : [];
}

/** `k=v` pairs of a repeatable flag, in order; the value may contain '='. */
export function keyValues(values: Values, name: string): [string, string][] {
  return repeated(values, name).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--${name} takes KEY=VALUE, got '${pair}'`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function int(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

/** Epoch milliseconds or an ISO 8601 date/time. */
export function time(values: Values, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--${name} must be epoch milliseconds or an ISO date like 2024-05-01T12:00:00Z, got '${raw}'`);
  }
  return n;
}

/** The positionals after the subcommand: at least `min`, naming what is missing. */
export function need(args: string[], min: number, what: string, usage: string): string[] {
  if (args.length < min) throw new UsageError(`missing ${what}\nUsage: ${usage}`);
  return args;
}

/** Refuses flags that mean nothing for this subcommand, rather than silently ignoring them. */
export function refuse(values: Values, names: string[], where: string): void {
  for (const n of names) if (values[n] !== undefined && values[n] !== false) throw new UsageError(`--${n} does not apply to ${where}`);
}
