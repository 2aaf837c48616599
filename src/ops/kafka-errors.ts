// Turns @platformatic/kafka failures (nested MultipleErrors around network, protocol and user
// errors) into one BrookError that says what went wrong, where, and what to do about it.
import { BrookError } from '../common/errors.ts';

/** Hints for Kafka error names (error-codes.tsv) an operator meets. */
const HINTS: Record<string, string> = {
  UNKNOWN_TOPIC_OR_PARTITION: "list the topics with 'brook topics list'",
  TOPIC_ALREADY_EXISTS: 'add --if-not-exists to accept an existing topic',
  INVALID_REPLICATION_FACTOR: 'the replication factor cannot exceed the number of brokers',
  INVALID_PARTITIONS: 'give --partitions 1 or more',
  INVALID_CONFIG: "see the topic's configs with 'brook topics describe TOPIC --all-configs'",
  INVALID_TOPIC_EXCEPTION: 'topic names use letters, digits, . _ and - (at most 249 characters)',
  TOPIC_AUTHORIZATION_FAILED: 'the principal in --properties lacks an ACL for this topic',
  GROUP_AUTHORIZATION_FAILED: 'the principal in --properties lacks an ACL for this group',
  CLUSTER_AUTHORIZATION_FAILED: 'the principal in --properties lacks a cluster ACL for this operation',
  SASL_AUTHENTICATION_FAILED: 'check the user name and password in sasl.jaas.config (--properties)',
  UNSUPPORTED_SASL_MECHANISM: 'set sasl.mechanism in --properties to one the broker enables',
  ILLEGAL_SASL_STATE: 'the broker expects SASL: set security.protocol=SASL_SSL or SASL_PLAINTEXT in --properties',
  COORDINATOR_NOT_AVAILABLE: 'the group coordinator is starting: retry in a moment',
  COORDINATOR_LOAD_IN_PROGRESS: 'the group coordinator is loading: retry in a moment',
  NOT_COORDINATOR: 'the coordinator moved: retry',
  NON_EMPTY_GROUP: 'the group still has members: stop them first',
  UNKNOWN_MEMBER_ID: 'the group rebalanced meanwhile: retry',
  REBALANCE_IN_PROGRESS: 'the group is rebalancing: retry in a moment',
  OFFSET_OUT_OF_RANGE: 'the offset is outside the log: use --offset earliest or latest',
  POLICY_VIOLATION: 'the cluster refuses this by policy',
  MESSAGE_TOO_LARGE: "the record is larger than the topic's max.message.bytes",
  RECORD_LIST_TOO_LARGE: "the batch is larger than the topic's max.message.bytes",
  INVALID_TIMESTAMP: "the timestamp is too far from the broker's clock for this topic (message.timestamp.*)",
  UNSUPPORTED_VERSION: 'the broker is too old for this request',
};

type Leaf = Error & {
  code?: string;
  apiId?: string;
  apiCode?: number;
  serverErrorMessage?: string | null;
  cause?: unknown;
};

function leaves(e: unknown, out: Leaf[] = [], depth = 0): Leaf[] {
  if (!(e instanceof Error) || depth > 8) return out;
  const nested = (e as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length > 0) {
    for (const n of nested) leaves(n, out, depth + 1);
  } else {
    out.push(e as Leaf);
  }
  return out;
}

const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

function addressIn(message: string): string | undefined {
  return /Connection to (\S+?) (?:failed|timed out)/.exec(message)?.[1];
}

export interface ErrorContext {
  bootstrap: string[];
  /** What was being done, e.g. "creating topic t1". */
  doing?: string;
}

/** One clear BrookError for any failure of a Kafka client call; BrookErrors pass through. */
export function explainKafkaError(err: unknown, ctx: ErrorContext): BrookError {
  if (err instanceof BrookError) return err;
  const all = leaves(err);
  const prefix = ctx.doing ? `${ctx.doing}: ` : '';
  const where = ctx.bootstrap.join(',');

  const net = all.find((l) => l.code === 'PLT_KFK_NETWORK' || l.code === 'PLT_KFK_TIMEOUT');
  if (net) {
    const cause = net.cause as (Error & { code?: string }) | undefined;
    const address = addressIn(net.message) ?? where;
    const tls = cause && /certificate|SSL|TLS|self.signed|alert/i.test(`${cause.code ?? ''} ${cause.message}`);
    if (tls) {
      return new BrookError(
        'KAFKA_TLS',
        `${prefix}TLS with the Kafka broker at ${address} failed (${cause.message}): check ssl.truststore.location (a PEM CA) and, for mTLS, ssl.keystore.location / ssl.key.location in --properties`,
        { cause: err },
      );
    }
    const why = cause?.code
      ? (SOCKET_CODES[cause.code] ?? cause.code)
      : net.code === 'PLT_KFK_TIMEOUT'
        ? 'timed out'
        : net.message.replace(/\.$/, '');
    return new BrookError(
      'KAFKA_UNREACHABLE',
      `${prefix}cannot reach the Kafka broker at ${address} (${why}). Is a broker running there? Start one with 'brook broker', or point --bootstrap HOST:PORT (or bootstrap.servers in --properties) at your cluster.`,
      { cause: err },
    );
  }

  const auth = all.find((l) => l.code === 'PLT_KFK_AUTHENTICATION');
  if (auth) {
    return new BrookError(
      'KAFKA_AUTH',
      `${prefix}authentication with the Kafka broker at ${where} failed (${auth.message}): check sasl.mechanism and sasl.jaas.config in --properties`,
      { cause: err },
    );
  }

  const unknownTopic = all.map((l) => /^Unknown topic (.+)\.$/.exec(l.message)?.[1]).find((t) => t !== undefined);
  if (unknownTopic !== undefined) return unknownTopicError(unknownTopic, where);

  const protocol = all.filter((l) => l.apiId !== undefined);
  if (protocol.length > 0) {
    const first = protocol[0]!;
    const said = [...new Set(protocol.map((l) => l.serverErrorMessage || l.message.replace(/\.$/, '')))].join('; ');
    const hint = HINTS[first.apiId!];
    return new BrookError(`KAFKA_${first.apiId}`, `${prefix}${said} (Kafka error ${first.apiId})${hint ? `: ${hint}` : ''}`, {
      cause: err,
    });
  }

  const unsupported = all.find((l) => l.code === 'PLT_KFK_UNSUPPORTED_API' || l.code === 'PLT_KFK_UNSUPPORTED');
  if (unsupported) {
    return new BrookError('KAFKA_UNSUPPORTED', `${prefix}the broker at ${where} does not support this: ${unsupported.message}`, {
      cause: err,
    });
  }

  const messages = [...new Set(all.map((l) => l.message.replace(/\.$/, '')))];
  if (messages.length === 0) messages.push(String(err));
  return new BrookError('KAFKA_ERROR', `${prefix}${messages.join('; ')} (broker ${where})`, { cause: err });
}

export function unknownTopicError(topic: string, where: string): BrookError {
  return new BrookError(
    'KAFKA_UNKNOWN_TOPIC',
    `topic '${topic}' does not exist on ${where}: see 'brook topics list', or create it with 'brook topics create ${topic}'`,
  );
}

/** Runs a Kafka call and rethrows its failure explained. */
export async function explained<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw explainKafkaError(e, ctx);
  }
}

/** True when the failure is this Kafka error (by name, e.g. 'TOPIC_ALREADY_EXISTS'). */
export function isKafkaError(err: unknown, apiId: string): boolean {
  return leaves(err).some((l) => l.apiId === apiId);
}
