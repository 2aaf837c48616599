// Configuration problems: each names the key's path, what was expected, what was given and where
// it came from, and all of them are reported at once so one run fixes every mistake.
import { BrookError } from '../common/errors.ts';

export interface ConfigProblem {
  /** `processor.checkpointIntervalSeconds`, or '' for the file as a whole. */
  path: string;
  message: string;
  /** `brook.config.json`, `BROOK_...`, `--rate`. */
  origin?: string;
}

export function formatProblem(p: ConfigProblem): string {
  const at = p.path === '' ? '' : `${p.path}: `;
  return `${at}${p.message}${p.origin ? ` (${p.origin})` : ''}`;
}

export class ConfigError extends BrookError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const lines = problems.map(formatProblem);
    super(
      'CONFIG',
      problems.length === 1 ? `invalid configuration: ${lines[0]}` : `invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
