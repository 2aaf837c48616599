// `brook config print`: the effective configuration, one key per line with its value and where it
// came from (default, file, env, flag); secrets are never shown, only whether their variable is set.
import { KEYS } from './keys.ts';
import type { LoadedConfig } from './load.ts';
import { show } from './value-types.ts';

export function printConfig(loaded: LoadedConfig, env: NodeJS.ProcessEnv): string {
  const rows = KEYS.map((key) => {
    const r = loaded.resolved.get(key.path)!;
    let value = show(r.value);
    if (key.path.endsWith('Env') && r.value !== null) value += env[String(r.value)] ? ' (set)' : ' (not set)';
    const source = r.source === 'default' ? 'default' : r.source === 'file' ? 'file' : `${r.source} ${r.origin}`;
    return [key.path, value, source] as const;
  });
  const w0 = Math.max(...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.min(48, Math.max(...rows.map((r) => r[1].length))) + 2;
  const lines = [
    `file: ${loaded.file ?? 'none (no brook.config.json here, no --config, no BROOK_CONFIG)'}`,
    'precedence: flag > env > file > default',
    '',
    `${'KEY'.padEnd(w0)}${'VALUE'.padEnd(w1)}SOURCE`,
    ...rows.map(([p, v, s]) => `${p.padEnd(w0)}${v.padEnd(w1)}${s}`),
  ];
  for (const w of loaded.warnings) lines.push('', `warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function configAsJson(loaded: LoadedConfig): object {
  const sources: Record<string, { source: string; origin: string | null }> = {};
  for (const [path, r] of loaded.resolved) sources[path] = { source: r.source, origin: r.origin };
  return { file: loaded.file, config: loaded.config, sources, warnings: loaded.warnings };
}
