// `brook up`: the whole pipeline in one process (platform.ts), configured from brook.config.json,
// BROOK_* variables and flags; prints where to look once ready, a status line every 10 s, and stops
// cleanly on Ctrl-C or SIGTERM. Exit 0 after a clean stop, 1 when a part failed, 2 for bad config.
import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.ts';
import { configOptionSpecs, flagSettings, rewriteConfigArgs } from '../config/flags.ts';
import { loadConfig } from '../config/load.ts';
import { PlatformError } from '../platform/errors.ts';
import { describeSecurity } from '../platform/kafka-connection.ts';
import { sample, statusLine } from '../platform/status-line.ts';
import type { Platform } from '../platform.ts';
import type { Command } from './command.ts';
import { untilStopSignal } from './stop-signal.ts';

const STATUS_EVERY_MS = 10_000;
/** After a stop, a handle something forgot to close must not keep the process alive. */
const EXIT_GRACE_MS = 3000;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const upCommand: Command = {
  name: 'up',
  summary:
    'Run the whole pipeline in one process: broker, schema registry, topics, the clickstream job with its store and the dashboard, and the generator. Ctrl-C stops it cleanly.',
  usage: [
    'brook up [--data-dir ./.brook] [--no-generator] [-nt 2] [--rate N] [-nd] [--broker-port 9092] [--dashboard-port 8080] [--config FILE] [--set KEY=VALUE]...',
    '',
    'Settings come from ./brook.config.json (or --config FILE), then BROOK_* environment variables (BROOK_DASHBOARD_PORT for',
    "dashboard.port, ...), then flags; later ones win. 'brook config print' shows every key, its value and where it came from.",
    '',
    'Examples:',
    '  brook up                                   # everything on 127.0.0.1: dashboard on :8080, broker :9092, registry :8081',
    '  brook up --rate 2000 -nd                   # a busier generator',
    '  brook up --start-time=-15m --time-step 50 -nd --sessions 200   # backfill the last 15 minutes quickly, then stop generating',
    '  brook up --bootstrap b-1.example.com:9092 --no-generator       # on an existing Kafka cluster, your own producers',
  ].join('\n'),
  options: {
    ...configOptionSpecs(),
    quiet: { type: 'boolean', description: 'No status line every 10 s' },
    json: { type: 'boolean', description: 'Print the ready information as one JSON line (for scripts)' },
  },
  rewriteArgs: rewriteConfigArgs,
  async run(values) {
    const out = (t: string) => void process.stdout.write(t);
    const err = (t: string) => void process.stderr.write(t);
    let loaded: ReturnType<typeof loadConfig>;
    try {
      loaded = loadConfig({ ...(typeof values.config === 'string' ? { file: values.config } : {}), flags: flagSettings(values) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      err(`brook up: ${e.message}\nSee 'brook config print' for the effective configuration and 'brook up --help' for the flags.\n`);
      return 2;
    }
    for (const w of loaded.warnings) err(`brook up: warning: ${w}\n`);
    const { config } = loaded;

    // Loaded on use: the parts' code is more than `brook --help` should pay for.
    const { startPlatform } = await import('../platform.ts');
    const loadedAt = performance.now();
    let platform: Platform;
    try {
      platform = await startPlatform({ config, log: (line) => err(`${line}\n`) });
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      err(e.part === 'data directory' ? `brook up: ${e.message}\n` : `brook up: could not start the ${e.part}: ${e.detail}\n`);
      if (e.part !== 'data directory' && e.part !== 'configuration') {
        err('brook up: the parts that had started were stopped again; nothing in the data directory was lost.\n');
      }
      return 1;
    }
    // performance.now() counts from process start: loading the code is part of the wait.
    const totalMs = performance.now();
    if (values.json === true) {
      out(
        `${JSON.stringify({
          ready: true,
          startupMs: Math.round(totalMs),
          platformMs: Math.round(platform.startupMs),
          bootstrap: platform.bootstrap,
          registryUrl: platform.registryUrl,
          dashboardUrl: platform.dashboardUrl,
          dataDir: platform.dataDir,
          pid: process.pid,
          ...(platform.secure ? { secure: platform.secure } : {}),
        })}\n`,
      );
    } else {
      out(readyBlock(platform, config, totalMs, loadedAt));
    }

    let status: NodeJS.Timeout | undefined;
    if (values.quiet !== true) {
      let before = sample(Date.now(), platform.metrics(), platform.generatorStats());
      status = setInterval(() => {
        const m = platform.metrics();
        const now = sample(Date.now(), m, platform.generatorStats());
        err(`${statusLine(now, before, m)}\n`);
        before = now;
      }, STATUS_EVERY_MS);
      status.unref();
    }
    // A bug anywhere must not leave the log or the store half-closed: stop every part, then exit 1.
    let unexpected: unknown;
    const onCrash = (e: unknown) => {
      unexpected ??= e;
      err(`brook up: unexpected error: ${(e as Error)?.stack ?? e}\nbrook up: stopping every part...\n`);
      void platform.stop();
    };
    process.on('uncaughtException', onCrash);

    const signalled = untilStopSignal().then(() => 'signal' as const);
    const first = await Promise.race([signalled, platform.done.then(() => 'done' as const)]);
    if (first === 'signal') {
      err(
        'brook up: stopping: generator first, then the processor checkpoints and flushes the store, then registry and broker... (Ctrl-C again forces)\n',
      );
    }
    const stopStarted = performance.now();
    const exit = await platform.stop();
    if (status) clearInterval(status);
    process.off('uncaughtException', onCrash);
    const ok = exit.ok && unexpected === undefined;
    setTimeout(() => process.exit(ok ? 0 : 1), EXIT_GRACE_MS).unref();
    if (exit.ok && !ok) {
      err(`brook up: stopped after the unexpected error above; what was checkpointed is safe in ${platform.dataDir}\n`);
      return 1;
    }
    if (exit.ok) {
      err(`brook up: stopped cleanly in ${Math.round(performance.now() - stopStarted)} ms; everything is in ${platform.dataDir}\n`);
      return 0;
    }
    const detail = exit.error instanceof PlatformError ? exit.error.detail : exit.error.message;
    err(`brook up: the ${exit.part} failed: ${detail}\n`);
    err(
      `brook up: the other parts were stopped cleanly. What was checkpointed is safe in ${platform.dataDir}; ` +
        `the next 'brook up' resumes from the last checkpoint.\n`,
    );
    return 1;
  },
};

function readyBlock(p: Platform, config: import('../config/types.ts').BrookConfig, totalMs: number, loadedAt: number): string {
  const g = config.generator;
  const steps = p.steps.map((s) => `${s.part} ${Math.round(s.ms)} ms`).join(', ');
  const generator = !g.enabled
    ? 'off (--no-generator): produce to the clickstream topic yourself'
    : `${g.threads} thread${g.threads === 1 ? '' : 's'}, ${g.startTime === null ? 'wall-clock timestamps' : `timestamps from ${g.startTime}`}` +
      `${g.noDelay ? ', no pauses' : ', pauses between sessions'}${g.rate !== null ? `, at most ${g.rate} events/s` : ''}`;
  const kafka = p.embedded.broker
    ? `${p.bootstrap.join(',')} (embedded broker${p.secure ? ', TLS with client certificates, ACLs on' : ''})`
    : `${p.bootstrap.join(',')} (external, ${describeSecurity(config)})`;
  const registry =
    p.registry.kind === 'glue'
      ? `AWS Glue, registry ${p.registry.registryName} in ${p.registry.region}`
      : `${p.registryUrl} (${p.embedded.registry ? 'embedded' : 'external'})`;
  const rows: Array<[string, string]> = [
    ['Dashboard', p.dashboardUrl],
    ['Kafka', kafka],
    ['Registry', registry],
    ['Data', p.dataDir],
    ['Generator', generator],
    ['Status', `npx brook status${p.dataDir === resolve('.brook') ? '' : ` --data-dir ${p.dataDir}`}`],
  ];
  if (config.opensearch.url !== null) rows.splice(4, 0, ['OpenSearch', config.opensearch.url]);
  if (p.secure) {
    rows.splice(
      4,
      0,
      ['Login', `admin, password in ${p.secure.adminPasswordFile} (browsers warn until ${p.secure.caFile} is trusted)`],
      ['Certs', `${p.secure.certsDir} (CA, server, one client certificate per part; admin.pem is yours)`],
      ['kcat', p.secure.kcat],
      ['CLI', `npx brook topics list --properties ${p.secure.adminProperties} (the same file for groups, consume, acls, ...)`],
    );
  }
  return [
    '',
    `Brook is up in ${secs(totalMs)} (loading ${secs(loadedAt)}; ${steps})`,
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(11)}${v}`),
    '',
    'Charts fill as windows close (10 s windows, 20 s allowed lateness): the first within about a minute.',
    'Stop with Ctrl-C (or SIGTERM): the generator stops, the processor checkpoints, the store is flushed.',
    '',
  ].join('\n');
}
