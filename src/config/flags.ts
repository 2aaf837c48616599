// The configuration flags of `brook up` (and `brook config print|check`): one per key that has a
// flag in keys.ts, `--set KEY=VALUE` for every key, `--config FILE`, and the generator's original
// short forms (-nt, -nd, -nou, -rf). Flags carry no defaults, so an absent flag never hides the file.
import type { OptionSpec } from '../cli/command.ts';
import { gatherRepeated, keyValues } from '../ops/args.ts';
import { KEYS } from './keys.ts';
import type { FlagSetting } from './load.ts';
import { show } from './value-types.ts';

type Values = Record<string, string | boolean | undefined>;

const SHORT_FORMS: Readonly<Record<string, string>> = {
  nt: 'generator-threads',
  nd: 'no-delay',
  nou: 'sessions',
  rf: 'run-for',
};

export function configOptionSpecs(): Record<string, OptionSpec> {
  const specs: Record<string, OptionSpec> = {
    config: {
      type: 'string',
      valueName: 'FILE',
      description: 'Configuration file (default: ./brook.config.json if present, or BROOK_CONFIG)',
    },
  };
  for (const key of KEYS) {
    if (!key.flag) continue;
    const short = Object.entries(SHORT_FORMS).find(([, long]) => long === key.flag!.name)?.[0];
    const dflt = key.flag.sets === undefined && key.default !== null ? `; default ${show(key.default)}` : '';
    specs[key.flag.name] = {
      type: key.flag.sets === undefined ? 'string' : 'boolean',
      ...(key.flag.valueName ? { valueName: key.flag.valueName } : {}),
      description: `${short ? `(-${short}) ` : ''}${key.flag.description ?? key.description} [${key.path}${dflt}]`,
    };
  }
  specs.set = {
    type: 'string',
    valueName: 'KEY=VALUE',
    description: 'Set any configuration key, e.g. --set processor.idleTimeoutMs=0 (repeatable)',
  };
  return specs;
}

/** `-nt 4` -> `--generator-threads 4`, then every `--set` gathered into one value. */
export function rewriteConfigArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^-([a-z]{2,3})(=.*)?$/.exec(arg);
    const long = m ? SHORT_FORMS[m[1]!] : undefined;
    out.push(long ? `--${long}${m![2] ?? ''}` : arg);
  }
  return gatherRepeated({ set: undefined })(out);
}

/** The flag layer of the configuration; named flags come after --set, so they win over it. */
export function flagSettings(values: Values): FlagSetting[] {
  const out: FlagSetting[] = keyValues(values, 'set').map(([path, text]) => ({ path, origin: `--set ${path}`, text }));
  for (const key of KEYS) {
    if (!key.flag) continue;
    const v = values[key.flag.name];
    if (v === undefined) continue;
    const origin = `--${key.flag.name}`;
    if (key.flag.sets !== undefined) {
      if (v === true) out.push({ path: key.path, origin, value: key.flag.sets });
    } else if (typeof v === 'string') out.push({ path: key.path, origin, text: v });
  }
  return out;
}
