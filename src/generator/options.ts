// The flags of `brook generate`: the original producer's short and long forms plus Brook's own,
// the rewrite of multi-letter single-dash flags (parseArgs only knows one-letter ones), and the
// validation rules of the original (spec section 2), extended to -iam.
import type { OptionSpec } from '../cli/command.ts';
import { flagOption, stringOption, UsageError } from '../cli/command.ts';
import { isAwsRegion, regionFromEnv } from '../common/msk-iam.ts';
import { GlueCompatibility } from '../registry/serde/index.ts';
import type { HttpClientTls } from '../security/http-client.ts';

/** The original's single-dash short forms and the long option each stands for. */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  nt: 'numThreads',
  nou: 'numberOfUsers',
  rf: 'runFor',
  nd: 'noDelay',
  nle: 'nologgingEvents',
  pfp: 'propertiesFilePath',
  ssl: 'sslEnable',
  mtls: 'mTLSEnable',
  sse: 'saslScramEnable',
  ssu: 'saslScramUser',
  iam: 'iamEnable',
  gsr: 'glueSchemaRegistry',
  gsrr: 'gsrRegion',
  grn: 'gsrRegistryName',
  gsn: 'gsrSchemaName',
  gsd: 'gsrSchemaDescription',
  gar: 'gsrAutoRegistration',
  gcs: 'gsrCompatibilitySetting',
};

/** `-nt 4` -> `--numThreads 4`, `-nt=4` -> `--numThreads=4`; stops at `--`. */
export function rewriteShortForms(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^-([A-Za-z]{2,})(=.*)?$/.exec(arg);
    const long = m ? SHORT_FORMS[m[1]!] : undefined;
    out.push(long ? `--${long}${m![2] ?? ''}` : arg);
  }
  return out;
}

const s = stringOption;
const b = flagOption;

export const GENERATE_OPTIONS: Record<string, OptionSpec> = {
  topic: { ...s('Topic to write to', 'TOPIC', 'clickstream'), short: 't' },
  numThreads: s('(-nt) Workers sharing one producer', 'N', '2'),
  numberOfUsers: s('(-nou) Sessions per worker; 0 = until -rf or Ctrl-C', 'N', '0'),
  runFor: s('(-rf) Stop after this many seconds; 0 = until done', 'SECONDS', '0'),
  noDelay: b("(-nd) No 50..549 ms pause between a worker's sessions"),
  nologgingEvents: b('(-nle) Do not print each event'),
  propertiesFilePath: s('(-pfp) Kafka client properties file (bootstrap.servers, security.protocol, ssl.*, sasl.*)', 'PATH'),
  sslEnable: b('(-ssl) TLS to the brokers'),
  mTLSEnable: b('(-mtls) TLS with a client certificate (from -pfp ssl.keystore.location, ssl.key.location; PEM)'),
  saslScramEnable: b('(-sse) SASL/SCRAM-SHA-512 over TLS; password from BROOK_SASL_PASSWORD'),
  saslScramUser: s('(-ssu) SASL/SCRAM user name', 'USER'),
  iamEnable: b('(-iam) MSK IAM: SASL/OAUTHBEARER over TLS, token signed with the AWS default credentials (MSK port 9098)'),
  'iam-region': s('Region of the MSK cluster for -iam (default: AWS_REGION, then AWS_DEFAULT_REGION)', 'REGION'),
  glueSchemaRegistry: b('(-gsr) Glue framing and the Glue API (without it: Confluent framing)'),
  gsrRegion: s('(-gsrr) Glue region', 'REGION'),
  gsrRegistryName: s('(-grn) Glue registry name', 'NAME', 'default-registry'),
  gsrSchemaName: s('(-gsn) Glue schema name (default: the topic)', 'NAME'),
  gsrSchemaDescription: s('(-gsd) Description of an auto-registered schema', 'TEXT'),
  gsrAutoRegistration: b('(-gar) Register the schema if the registry does not have it'),
  gsrCompatibilitySetting: s(`(-gcs) Compatibility of an auto-registered schema: ${Object.values(GlueCompatibility).join(', ')}`, 'MODE'),
  bootstrap: s('Kafka bootstrap servers, comma-separated; overrides -pfp (default: 127.0.0.1:9092)', 'HOST:PORT'),
  registry: s('Schema registry URL (Confluent REST, or Glue endpoint with -gsr)', 'URL'),
  seed: s('Make the whole stream reproducible', 'N'),
  rate: s('Cap on events per second across workers', 'N'),
  'start-time': s('Timestamps start here (epoch ms or ISO date) instead of the clock', 'TIME'),
  'time-step': s('Milliseconds between consecutive events with --start-time', 'MS', '1'),
  'data-dir': s("Brook's data directory (bookmark in <dir>/generator/bookmark)", 'DIR', './.brook'),
  bookmark: s('Bookmark file (last globalseq), read at start and written on shutdown', 'PATH'),
  partitions: s('Partitions of the topic if it is missing and brook generate creates it', 'N', '3'),
  'no-idempotence': b('Turn the idempotent producer off'),
  compression: s('none, gzip, snappy, lz4 or zstd', 'CODEC', 'none'),
  'batch-size': s('Records that send a produce request at once (more gather while one is in flight)', 'N', '5000'),
  'linger-ms': s('How long a partial batch waits for more records', 'MS', '5'),
  quiet: b('No status line'),
  json: b('Final summary as JSON on stdout'),
};

export interface GenerateConfig {
  topic: string;
  workers: number;
  sessionsPerWorker: number;
  runForMs: number;
  noDelay: boolean;
  logEvents: boolean;
  propertiesFile?: string;
  bootstrap?: string;
  ssl: boolean;
  mtls: boolean;
  scramUser?: string;
  /** -iam: MSK IAM over TLS. */
  iam: boolean;
  /** --iam-region, or with -iam the region from the environment. */
  iamRegion?: string;
  glue: boolean;
  glueRegion?: string;
  registryName: string;
  schemaName?: string;
  schemaDescription?: string;
  autoRegister: boolean;
  compatibility?: GlueCompatibility;
  registry?: string;
  /** An HTTPS registry's private CA (`ca`) or client certificate (`cert`, `key`); credentials go in the URL. */
  registryTls?: HttpClientTls;
  seed?: number;
  rate?: number;
  startTime?: number;
  timeStep: number;
  dataDir: string;
  bookmark?: string;
  idempotent: boolean;
  /** Partitions of the topic when it is created. */
  partitions: number;
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  batchSize: number;
  lingerMs: number;
  quiet: boolean;
  json: boolean;
}

type Values = Record<string, string | boolean | undefined>;

function int(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

function time(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--start-time must be epoch milliseconds or an ISO date, got '${raw}'`);
  return n;
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** -iam's region: the flag, else the environment, else a usage error (the signature's scope needs it). */
function iamRegion(values: Values, env: NodeJS.ProcessEnv): string | undefined {
  const flag = str(values['iam-region']);
  if (flag !== undefined && !isAwsRegion(flag))
    throw new UsageError(`--iam-region must be an AWS region name like us-east-1, got '${flag}'`);
  if (flag !== undefined || values.iamEnable !== true) return flag;
  const region = regionFromEnv(env);
  if (!region) throw new UsageError("-iam needs the MSK cluster's region: --iam-region REGION, or AWS_REGION in the environment");
  return region;
}

/** Checks the flags the way the original did (plus the same rules for -iam) and turns them into a config. */
export function parseGenerateConfig(values: Values, env: NodeJS.ProcessEnv = process.env): GenerateConfig {
  const on = (name: string) => values[name] === true;
  if (on('saslScramEnable') && on('mTLSEnable')) throw new UsageError('-sse (SASL/SCRAM) and -mtls (mutual TLS) cannot be used together');
  if (on('saslScramEnable') && on('sslEnable'))
    throw new UsageError('-sse (SASL/SCRAM, which already uses TLS) and -ssl cannot be used together');
  if (on('saslScramEnable') && !str(values.saslScramUser)) throw new UsageError('-sse (SASL/SCRAM) needs the user name: -ssu USER');
  // One SASL identity per connection, and MSK's IAM listener takes no client certificate.
  if (on('iamEnable') && on('saslScramEnable')) throw new UsageError('-iam (MSK IAM) and -sse (SASL/SCRAM) cannot be used together');
  if (on('iamEnable') && on('mTLSEnable')) throw new UsageError('-iam (MSK IAM) and -mtls (mutual TLS) cannot be used together');
  if (on('iamEnable') && on('sslEnable')) throw new UsageError('-iam (MSK IAM, which already uses TLS) and -ssl cannot be used together');
  const region = iamRegion(values, env);
  const compatibility = str(values.gsrCompatibilitySetting)?.toUpperCase();
  if (compatibility !== undefined && !(Object.values(GlueCompatibility) as string[]).includes(compatibility)) {
    throw new UsageError(`-gcs must be one of ${Object.values(GlueCompatibility).join(', ')}, got '${values.gsrCompatibilitySetting}'`);
  }
  const compression = str(values.compression) ?? 'none';
  if (!['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(compression)) {
    throw new UsageError(`--compression must be none, gzip, snappy, lz4 or zstd, got '${compression}'`);
  }
  const seed = int(values, 'seed', 0, 2 ** 32 - 1);
  const rate = int(values, 'rate', 1, 1e9);
  const startTime = time(str(values['start-time']));
  return {
    topic: str(values.topic) ?? 'clickstream',
    workers: int(values, 'numThreads', 1, 1024) ?? 2,
    sessionsPerWorker: int(values, 'numberOfUsers', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    runForMs: (int(values, 'runFor', 0, 1e9) ?? 0) * 1000,
    noDelay: on('noDelay'),
    logEvents: !on('nologgingEvents'),
    ...(str(values.propertiesFilePath) ? { propertiesFile: str(values.propertiesFilePath) } : {}),
    ...(str(values.bootstrap) ? { bootstrap: str(values.bootstrap) } : {}),
    ssl: on('sslEnable'),
    mtls: on('mTLSEnable'),
    ...(on('saslScramEnable') ? { scramUser: str(values.saslScramUser) } : {}),
    iam: on('iamEnable'),
    ...(region !== undefined ? { iamRegion: region } : {}),
    glue: on('glueSchemaRegistry'),
    ...(str(values.gsrRegion) ? { glueRegion: str(values.gsrRegion) } : {}),
    registryName: str(values.gsrRegistryName) ?? 'default-registry',
    ...(str(values.gsrSchemaName) ? { schemaName: str(values.gsrSchemaName) } : {}),
    ...(str(values.gsrSchemaDescription) ? { schemaDescription: str(values.gsrSchemaDescription) } : {}),
    autoRegister: on('gsrAutoRegistration'),
    ...(compatibility ? { compatibility: compatibility as GlueCompatibility } : {}),
    ...(str(values.registry) ? { registry: str(values.registry) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    timeStep: int(values, 'time-step', 0, 1e12) ?? 1,
    dataDir: str(values['data-dir']) ?? './.brook',
    ...(str(values.bookmark) ? { bookmark: str(values.bookmark) } : {}),
    idempotent: !on('no-idempotence'),
    partitions: int(values, 'partitions', 1, 100_000) ?? 3,
    compression: compression as GenerateConfig['compression'],
    batchSize: int(values, 'batch-size', 1, 1e6) ?? 5000,
    lingerMs: int(values, 'linger-ms', 0, 60000) ?? 5,
    quiet: on('quiet'),
    json: on('json'),
  };
}
