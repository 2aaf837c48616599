// `brook config print|check|schema`: the effective configuration with where each value came from,
// its validation with every problem at once, and the JSON Schema of brook.config.json for editors.
import { ConfigError, formatProblem } from '../config/errors.ts';
import { configOptionSpecs, flagSettings, rewriteConfigArgs } from '../config/flags.ts';
import { configJsonSchema } from '../config/json-schema.ts';
import { loadConfig } from '../config/load.ts';
import { configAsJson, printConfig } from '../config/print.ts';
import { type Command, UsageError } from './command.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'Show the effective configuration of brook up (file, BROOK_* variables, flags) and where each value came from, or check it.',
  usage: [
    'brook config print|check|schema [--config FILE] [--json] [any brook up flag]',
    '',
    'Examples:',
    '  brook config print                      # every key, its value and its source (default, file, env, flag)',
    '  brook config print --rate 500 --json    # what brook up --rate 500 would run with, as JSON',
    '  brook config check --config prod.json   # validate; exit 1 with every problem listed',
    '  brook config schema > brook.config.schema.json   # for "$schema" in brook.config.json',
  ].join('\n'),
  options: {
    ...configOptionSpecs(),
    json: { type: 'boolean', description: 'JSON output (print, check)' },
  },
  rewriteArgs: rewriteConfigArgs,
  async run(values, positionals) {
    const [sub, ...extra] = positionals;
    if (sub === undefined || !['print', 'check', 'schema'].includes(sub)) {
      throw new UsageError(`expected a subcommand: print, check or schema${sub === undefined ? '' : `, got '${sub}'`}`);
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const out = (t: string) => void process.stdout.write(t);
    if (sub === 'schema') {
      out(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return 0;
    }
    const json = values.json === true;
    let loaded: ReturnType<typeof loadConfig>;
    try {
      loaded = loadConfig({ ...(typeof values.config === 'string' ? { file: values.config } : {}), flags: flagSettings(values) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      if (json) out(`${JSON.stringify({ valid: false, problems: e.problems.map((p) => ({ ...p, text: formatProblem(p) })) })}\n`);
      else
        process.stderr.write(
          `brook config ${sub}: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}:\n${e.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`,
        );
      return 1;
    }
    if (sub === 'print') {
      out(json ? `${JSON.stringify(configAsJson(loaded), null, 2)}\n` : printConfig(loaded, process.env));
      return 0;
    }
    const counts = { file: 0, env: 0, flag: 0 };
    for (const r of loaded.resolved.values()) if (r.source !== 'default') counts[r.source]++;
    if (json) out(`${JSON.stringify({ valid: true, file: loaded.file, set: counts, warnings: loaded.warnings })}\n`);
    else {
      out(
        `configuration is valid: ${loaded.file ?? 'no file'}; ${counts.file} key(s) from the file, ${counts.env} from BROOK_* variables, ${counts.flag} from flags\n`,
      );
      for (const w of loaded.warnings) out(`warning: ${w}\n`);
    }
    return 0;
  },
};
