// `brook broker`: runs the Kafka-compatible broker until SIGINT/SIGTERM, then stops cleanly
// (answers what is in flight, flushes the log to disk). Listeners, TLS and SASL from flags.
import { subscribe } from 'node:diagnostics_channel';
import { brokerLogLine } from '../broker/log-lines.ts';
import { startBroker } from '../broker/server.ts';
import { BrookError } from '../common/errors.ts';
import {
  type ClientAuth,
  type ListenerConfig,
  type ListenerTls,
  parseListener,
  parseSaslMechanisms,
  usesSasl,
  usesTls,
} from '../security/listeners.ts';
import { parsePrincipal } from '../security/principal.ts';
import { type Command, intOption, readFlagFile, UsageError } from './command.ts';
import { untilStopSignal } from './stop-signal.ts';

type Values = Record<string, string | boolean | undefined>;

/** Repeated flags arrive joined by parseArgs' last-wins rule, so listeners are also comma-separable. */
function list(v: string | boolean | undefined): string[] {
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

function readPem(flag: string, file: string | undefined): Buffer | undefined {
  return file === undefined ? undefined : readFlagFile(flag, file);
}

/** The listeners the flags describe, or [] for the classic single PLAINTEXT --host/--port listener. */
export function listenersFromFlags(values: Values): ListenerConfig[] {
  const specs = list(values.listener);
  if (specs.length === 0) {
    for (const f of ['tls-cert', 'tls-key', 'tls-ca', 'ssl-client-auth', 'sasl-mechanisms']) {
      if (values[f] !== undefined) throw new UsageError(`--${f} needs a --listener that uses it, e.g. --listener SASL_SSL://0.0.0.0:9094`);
    }
    return [];
  }
  const clientAuth = (values['ssl-client-auth'] as string | undefined) ?? 'none';
  if (!['none', 'requested', 'required'].includes(clientAuth)) {
    throw new UsageError(`--ssl-client-auth must be none, requested or required, got '${clientAuth}'`);
  }
  const cert = readPem('tls-cert', values['tls-cert'] as string | undefined);
  const key = readPem('tls-key', values['tls-key'] as string | undefined);
  const ca = readPem('tls-ca', values['tls-ca'] as string | undefined);
  const mechanisms = values['sasl-mechanisms'] === undefined ? undefined : parseSaslMechanisms(values['sasl-mechanisms'] as string);
  const advertised = new Map<string, { host: string; port: number }>();
  for (const a of list(values['advertised-listener'])) {
    const m = /^([A-Za-z0-9_-]+):\/\/(\[[^\]]*\]|[^:/]+):(\d{1,5})$/.exec(a);
    if (m) advertised.set(m[1] as string, { host: (m[2] as string).replace(/^\[(.*)\]$/, '$1'), port: Number(m[3]) });
  }
  return specs.map((spec) => {
    const l = parseListener(spec);
    let tls: ListenerTls | undefined;
    if (usesTls(l.securityProtocol)) {
      if (!cert || !key) throw new UsageError(`listener ${spec} needs --tls-cert and --tls-key (PEM files)`);
      tls = { cert, key, clientAuth: clientAuth as ClientAuth, ...(ca ? { ca } : {}) };
    }
    const adv = advertised.get(l.name ?? l.securityProtocol);
    return {
      ...l,
      ...(tls ? { tls } : {}),
      ...(usesSasl(l.securityProtocol) && mechanisms ? { saslMechanisms: mechanisms } : {}),
      ...(adv ? { advertisedHost: adv.host, advertisedPort: adv.port } : {}),
    };
  });
}

export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run the Kafka-wire-compatible broker with a durable log. Stops cleanly on Ctrl-C or SIGTERM.',
  usage:
    'brook broker [--host 127.0.0.1] [--port 9092] [--data-dir ./data/broker] [--advertised-listener host:port]\n' +
    '       brook broker --listener SASL_SSL://0.0.0.0:9094 [--listener SSL://0.0.0.0:9093] --tls-cert FILE --tls-key FILE\n' +
    '                    [--tls-ca FILE] [--ssl-client-auth none|requested|required] [--sasl-mechanisms SCRAM-SHA-512,...]',
  options: {
    host: { type: 'string', default: '127.0.0.1', valueName: 'ADDRESS', description: 'Address to listen on (0.0.0.0 for all interfaces)' },
    port: { type: 'string', short: 'p', default: '9092', valueName: 'PORT', description: 'Port to listen on (0 picks a free port)' },
    'data-dir': {
      type: 'string',
      short: 'd',
      default: './data/broker',
      valueName: 'DIR',
      description: 'Where the log, offsets, metadata and SCRAM credentials are kept',
    },
    listener: {
      type: 'string',
      valueName: '[NAME=]PROTOCOL://HOST:PORT,...',
      description:
        'Listeners, each on its own port, instead of --host/--port: PROTOCOL is PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (comma-separated for several)',
    },
    'advertised-listener': {
      type: 'string',
      valueName: 'HOST:PORT | NAME://HOST:PORT,...',
      description:
        'Address clients are told to connect to: host:port for the first listener, NAME://host:port per listener (default: the listening address)',
    },
    'tls-cert': { type: 'string', valueName: 'FILE', description: 'PEM certificate (chain) of the broker, for SSL and SASL_SSL listeners' },
    'tls-key': { type: 'string', valueName: 'FILE', description: 'PEM private key of --tls-cert' },
    'tls-ca': { type: 'string', valueName: 'FILE', description: 'PEM CA certificates that sign client certificates (mTLS)' },
    'ssl-client-auth': {
      type: 'string',
      valueName: 'none|requested|required',
      description: 'Client certificates on SSL listeners (ssl.client.auth); required is mutual TLS (default: none)',
    },
    'sasl-mechanisms': {
      type: 'string',
      valueName: 'LIST',
      description: 'SASL mechanisms of SASL listeners: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (default: SCRAM-SHA-256,SCRAM-SHA-512)',
    },
    'ssl-principal-mapping-rules': {
      type: 'string',
      valueName: 'RULES',
      description:
        "Client certificate subject to principal, Kafka's syntax: RULE:^CN=([^,]+).*$/$1/L,DEFAULT (default: DEFAULT, the full DN)",
    },
    'super-users': {
      type: 'string',
      valueName: 'User:NAME;...',
      description: 'Principals the authorizer will let do everything (super.users), separated by ;',
    },
    authorizer: {
      type: 'boolean',
      default: false,
      description:
        'Enforce ACLs (brook acls): whatever no ACL allows is denied, except to --super-users (default: off, everyone may do everything)',
    },
    'auto-create-topics': {
      type: 'boolean',
      default: false,
      description: 'Create unknown topics when a client asks for them (auto.create.topics.enable)',
    },
    'num-partitions': { type: 'string', default: '1', valueName: 'N', description: 'Partitions of auto-created topics (num.partitions)' },
    'connections-max-reauth-ms': {
      type: 'string',
      valueName: 'MS',
      description:
        'SASL logins last this long; clients then re-authenticate on their connection or are disconnected (connections.max.reauth.ms, KIP-368; default: 0, forever)',
    },
  },
  async run(values) {
    let listeners: ListenerConfig[];
    let superUsers: string[] = [];
    try {
      listeners = listenersFromFlags(values);
      const su = values['super-users'] as string | undefined;
      if (su !== undefined) {
        superUsers = su
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const p of superUsers) parsePrincipal(p);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError((err as Error).message);
    }
    const single = listeners.length === 0;
    const adv = values['advertised-listener'] as string | undefined;
    const log = (message: unknown) => {
      const line = brokerLogLine(message);
      if (line) process.stderr.write(`brook broker: ${line}\n`);
    };
    subscribe('brook:broker', log);
    const broker = await startBroker({
      host: values.host as string,
      port: intOption(values, 'port', 0, 65535),
      dataDir: values['data-dir'] as string,
      // host:port keeps its meaning (the first listener); NAME://host:port entries went to the listeners.
      advertisedListener: adv !== undefined && !adv.includes('://') ? adv : null,
      autoCreateTopics: values['auto-create-topics'] === true,
      numPartitions: intOption(values, 'num-partitions', 1, 100000),
      connectionsMaxReauthMs: intOption(values, 'connections-max-reauth-ms', 0, 2 ** 31 - 1),
      listeners,
      superUsers,
      authorizer: values.authorizer === true,
      ...(values['ssl-principal-mapping-rules'] !== undefined
        ? { principalMappingRules: values['ssl-principal-mapping-rules'] as string }
        : {}),
    }).catch((err) => {
      if (err instanceof BrookError && (err.code === 'LISTENER' || err.code === 'PRINCIPAL_MAPPING')) throw new UsageError(err.message);
      throw err;
    });
    if (single) {
      const { host, port } = broker.address;
      process.stdout.write(
        `brook broker listening on ${host}:${port} (advertised as ${broker.advertised.host}:${broker.advertised.port}), data in ${values['data-dir']}, cluster ${broker.clusterId}\n`,
      );
    } else {
      for (const l of broker.listeners) {
        process.stdout.write(
          `brook broker listener ${l.name} (${l.securityProtocol}) on ${l.address.host}:${l.address.port}, advertised as ${l.advertised.host}:${l.advertised.port}\n`,
        );
      }
      process.stdout.write(`brook broker data in ${values['data-dir']}, cluster ${broker.clusterId}\n`);
    }
    await untilStopSignal();
    process.stdout.write('brook broker stopping: finishing requests in flight and flushing the log...\n');
    await broker.close();
    process.stdout.write('brook broker stopped\n');
    return 0;
  },
};
