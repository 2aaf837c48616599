// `brook dashboard`: the dashboard on its own. It cannot share the processor's DuckDB file (one
// writer per file), so it keeps its own store in <data-dir>/dashboard, fed from the result topics.
// HTTPS and users from the web-server flags; an HTTPS or password-protected registry from --registry-*.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrookError } from '../common/errors.ts';
import { parseDuration } from '../dashboard/range.ts';
import { connectionFromProperties, parseProperties } from '../generator/properties.ts';
import { type Command, intOption, UsageError } from './command.ts';
import { REGISTRY_CLIENT_OPTIONS, registryTlsFromFlags, registryUrlWithUser } from './registry-client-flags.ts';
import { untilStopSignal } from './stop-signal.ts';
import { WEB_SERVER_OPTIONS, webServerFromFlags } from './web-server-flags.ts';

const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary:
    'Serve the Clickstream Dashboard, pipeline and schema views (web page and JSON API), fed from the result topics into its own store. Stops on Ctrl-C.',
  usage:
    'brook dashboard [--port 8080] [--host 127.0.0.1] [--bootstrap 127.0.0.1:9092] [--registry http://127.0.0.1:8081] [--data-dir ./.brook] [--store-retention 7d]\n' +
    '                [--tls-cert FILE --tls-key FILE [--tls-ca FILE] [--ssl-client-auth none|requested|required]] [--users-file FILE]\n' +
    '                [--registry-ca FILE] [--registry-cert FILE --registry-key FILE] [--registry-user NAME]',
  options: {
    port: { type: 'string', short: 'p', default: '8080', valueName: 'PORT', description: 'HTTP port to listen on (0 picks a free port)' },
    host: { type: 'string', default: '127.0.0.1', valueName: 'ADDRESS', description: 'Address to listen on (0.0.0.0 for all interfaces)' },
    bootstrap: {
      type: 'string',
      short: 'b',
      default: DEFAULT_BOOTSTRAP,
      valueName: 'HOST:PORT[,...]',
      description: 'Kafka bootstrap servers holding the result topics; overrides --properties',
    },
    properties: {
      type: 'string',
      valueName: 'PATH',
      description: 'Kafka client properties file (bootstrap.servers, security.protocol, ssl.*, sasl.*)',
    },
    registry: {
      type: 'string',
      default: 'http://127.0.0.1:8081',
      valueName: 'URL',
      description: 'Schema registry (Confluent REST) for the Schemas view',
    },
    'data-dir': {
      type: 'string',
      default: './.brook',
      valueName: 'DIR',
      description: "Brook's data directory (the store is <dir>/dashboard/clickstream.duckdb)",
    },
    'store-retention': {
      type: 'string',
      default: '7d',
      valueName: 'DURATION',
      description: 'Windows older than this leave the store (e.g. 12h, 7d, 30d)',
    },
    ...WEB_SERVER_OPTIONS,
    ...REGISTRY_CLIENT_OPTIONS,
  },
  async run(values) {
    const port = intOption(values, 'port', 0, 65535) ?? 8080;
    const retentionRaw = String(values['store-retention'] ?? '7d');
    const retentionMs = parseDuration(retentionRaw);
    if (retentionMs === undefined || retentionMs <= 0) {
      throw new UsageError(`--store-retention must be a duration such as 12h, 7d or 30d, got '${retentionRaw}'`);
    }
    const rawRegistry = String(values.registry ?? 'http://127.0.0.1:8081');
    if (!/^https?:\/\//.test(rawRegistry)) throw new UsageError(`--registry must be an http(s) URL, got '${rawRegistry}'`);
    const registryUrl = registryUrlWithUser(rawRegistry, values);
    const registryTls = registryTlsFromFlags(values);
    const web = webServerFromFlags(values);
    if (web.warning) process.stderr.write(`brook dashboard: ${web.warning}\n`);
    const props =
      typeof values.properties === 'string' ? connectionFromProperties(parseProperties(readFileSync(values.properties, 'utf8'))) : {};
    const flag = String(values.bootstrap ?? DEFAULT_BOOTSTRAP)
      .split(',')
      .map((s) => s.trim());
    // --bootstrap has a default: a properties file's bootstrap.servers wins unless the flag names others.
    const bootstrap = props.bootstrap && values.bootstrap === DEFAULT_BOOTSTRAP ? props.bootstrap : flag;
    const connection = { ...(props.tls ? { tls: props.tls } : {}), ...(props.sasl ? { sasl: props.sasl } : {}) };
    const path = join(String(values['data-dir'] ?? './.brook'), 'dashboard', 'clickstream.duckdb');

    // Loaded on use: DuckDB and the Kafka client are more than `brook --help` should pay for.
    const [{ openAnalyticsStore }, { startDashboard }, { feedStoreFromTopics }] = await Promise.all([
      import('../sinks/duckdb/analytics-store.ts'),
      import('../dashboard/server.ts'),
      import('../dashboard/topic-feed.ts'),
    ]);
    mkdirSync(dirname(path), { recursive: true });
    let store: Awaited<ReturnType<typeof openAnalyticsStore>>;
    try {
      store = await openAnalyticsStore({ path, retentionMs });
      await store.open?.();
    } catch (err) {
      throw new BrookError(
        'DASHBOARD_STORE',
        `cannot open the dashboard's store ${path}: ${(err as Error).message}. If another brook dashboard uses this data directory, stop it or pass --data-dir`,
        { cause: err },
      );
    }
    const stopper = new AbortController();
    const err = (text: string) => void process.stderr.write(`brook dashboard: ${text}\n`);
    const feed = feedStoreFromTopics({ bootstrap, connection, store, signal: stopper.signal, onWarning: err });
    let dashboard: Awaited<ReturnType<typeof startDashboard>>;
    try {
      dashboard = await startDashboard({
        port,
        host: String(values.host ?? '127.0.0.1'),
        store,
        kafka: { bootstrap, connection },
        registryUrl,
        ...(registryTls ? { registryTls } : {}),
        ...(web.tls ? { tls: web.tls } : {}),
        ...(web.auth ? { auth: web.auth } : {}),
      });
    } catch (e) {
      stopper.abort();
      await feed.done.catch(() => undefined);
      await store.close();
      throw e;
    }
    process.stdout.write(`brook dashboard at ${dashboard.url} (results from ${bootstrap.join(',')} into ${path})\n`);
    let failure: unknown;
    await Promise.race([untilStopSignal(), feed.done.catch((e: unknown) => void (failure = e))]);
    process.stdout.write('brook dashboard stopping...\n');
    stopper.abort();
    await feed.done.catch((e: unknown) => void (failure ??= e));
    await dashboard.close();
    await store.close();
    if (failure !== undefined) {
      err(`reading the result topics failed: ${(failure as Error).message}`);
      return 1;
    }
    const s = feed.stats();
    process.stdout.write(`brook dashboard stopped (${s.rows.toLocaleString('en')} result rows read into the store)\n`);
    return 0;
  },
};
