// `brook produce TOPIC`: writes records kcat-style, one per stdin line (or --value), with key,
// headers, timestamp and partition, optionally Avro-encoded through a schema registry; acks=all.
import { createInterface } from 'node:readline';
import { type MessageToProduce, murmur2, Producer } from '@platformatic/kafka';
import { BrookError } from '../common/errors.ts';
import { gatherRepeated, int, keyValues, str, time, type Values } from '../ops/args.ts';
import { CONNECTION_OPTIONS, clientOptions, type KafkaTarget, kafkaTarget } from '../ops/connection.ts';
import type { OpsIo } from '../ops/io.ts';
import { explainKafkaError, unknownTopicError } from '../ops/kafka-errors.ts';
import { Progress } from '../ops/progress.ts';
import { type LineEncoder, lineEncoder, REGISTRY_OPTION } from '../ops/schemas.ts';
import { ioGetter } from '../ops/subcommands.ts';
import { ranges } from '../ops/table.ts';
import { type Command, UsageError } from './command.ts';
import { REGISTRY_CLIENT_OPTIONS } from './registry-client-flags.ts';

const ACKS_ALL = -1;
// Lines gathered while a send is in flight go out together; past this many, stdin is paused.
const MAX_BATCH = 1000;
const MAX_QUEUED = 10_000;

const usage = [
  'brook produce <topic> [--value TEXT] [--key KEY | --key-separator SEP] [--header KEY=VALUE]... [--timestamp TIME] [--partition N]',
  '                      [--registry URL (--avro-schema FILE | --subject SUBJECT [--schema-version N])] [--json]',
  '',
  'Each line of stdin is one record (empty lines are skipped), or --value gives one. Waits for all in-sync replicas (acks=all).',
  '',
  'Examples:',
  '  echo \'{"page":"/home"}\' | brook produce clicks --key user-1 --header source=web',
  '  printf \'user-1\\t{"page":"/"}\\n\' | brook produce clicks --key-separator $\'\\t\'',
  '  brook produce clickstream --registry http://127.0.0.1:8081 --avro-schema click.avsc < events.jsonl',
].join('\n');

interface Pending {
  line: number;
  message: MessageToProduce<Buffer, Buffer, Buffer, Buffer>;
}

function javaPartition(key: Buffer, partitions: number): number {
  // Java's toPositive(murmur2(key)) % partitions, so keys land where a Java producer puts them.
  return (murmur2(key) & 0x7fffffff) % partitions;
}

class RecordBuilder {
  readonly #values: Values;
  readonly #headers: [string, string][];
  readonly #timestamp: bigint | undefined;
  readonly #partition: number | undefined;
  readonly #topic: string;
  #encoder: LineEncoder | undefined;
  #partitions = 1;
  #roundRobin = 0;

  /** Checks the record flags before anything connects. */
  constructor(topic: string, values: Values) {
    this.#topic = topic;
    this.#values = values;
    this.#headers = keyValues(values, 'header');
    const ts = time(values, 'timestamp');
    this.#timestamp = ts === undefined ? undefined : BigInt(ts);
    this.#partition = int(values, 'partition', 0, 1_000_000);
  }

  /** The topic's partition count (checked against --partition) and the Avro encoder, once known. */
  ready(partitions: number, encoder: LineEncoder | undefined): void {
    const p = this.#partition;
    if (p !== undefined && p >= partitions) {
      throw new UsageError(
        `--partition ${p} does not exist: topic '${this.#topic}' has ${partitions} partition${partitions === 1 ? '' : 's'} (0-${partitions - 1})`,
      );
    }
    this.#partitions = partitions;
    this.#encoder = encoder;
  }

  /** The record for one input line, or undefined for a line to skip. Throws a UsageError naming the line. */
  build(text: string, line: number): MessageToProduce<Buffer, Buffer, Buffer, Buffer> | undefined {
    let keyText = str(this.#values, 'key');
    let valueText = text;
    const sep = str(this.#values, 'key-separator');
    if (sep !== undefined) {
      if (text === '') return undefined;
      const at = text.indexOf(sep);
      if (at < 0) throw new BrookError('OPS_BAD_RECORD', `line ${line} has no key separator ${JSON.stringify(sep)}`);
      keyText = text.slice(0, at);
      valueText = text.slice(at + sep.length);
    } else if (text === '' && line > 0) {
      return undefined;
    }
    let value: Buffer | undefined;
    if (valueText === '' && this.#values['null-empty']) value = undefined;
    else if (this.#encoder) {
      try {
        value = this.#encoder.encode(valueText);
      } catch (e) {
        throw new BrookError('OPS_BAD_RECORD', `${line > 0 ? `line ${line}` : '--value'}: ${(e as Error).message}`);
      }
    } else value = Buffer.from(valueText, 'utf8');
    const key = keyText === undefined ? undefined : Buffer.from(keyText, 'utf8');
    const partition = this.#partition ?? (key !== undefined ? javaPartition(key, this.#partitions) : this.#roundRobin++ % this.#partitions);
    return {
      topic: this.#topic,
      partition,
      ...(key !== undefined ? { key } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(this.#timestamp !== undefined ? { timestamp: this.#timestamp } : {}),
      ...(this.#headers.length > 0 ? { headers: new Map(this.#headers.map(([k, v]) => [Buffer.from(k), Buffer.from(v)])) } : {}),
    };
  }
}

/** Yields stdin lines with their numbers, pausing the stream while too many wait to be sent. */
function lineSource(io: OpsIo, signal: AbortSignal) {
  const rl = createInterface({ input: io.stdin(), crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  const queue: { text: string; line: number }[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let n = 0;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let paused = false;
  rl.on('line', (text) => {
    queue.push({ text, line: ++n });
    if (queue.length >= MAX_QUEUED && !ended) {
      paused = true;
      rl.pause();
    }
    poke();
  });
  rl.on('close', () => {
    ended = true;
    poke();
  });
  const onAbort = () => rl.close();
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    /** The next lines available (waiting for at least one), or undefined at the end of input. */
    async take(): Promise<{ text: string; line: number }[] | undefined> {
      while (queue.length === 0) {
        if (ended) return undefined;
        await new Promise<void>((r) => (wake = r));
      }
      const out = queue.splice(0, MAX_BATCH);
      if (paused && !ended && queue.length < MAX_QUEUED / 2) {
        paused = false;
        rl.resume();
      }
      return out;
    },
    close() {
      signal.removeEventListener('abort', onAbort);
      rl.close();
    },
  };
}

async function produce(topic: string, values: Values, io: OpsIo, target: KafkaTarget): Promise<number> {
  const json = values.json === true;
  const builder = new RecordBuilder(topic, values);
  const where = target.bootstrap.join(',');
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
    ...clientOptions(target, 'brook-produce'),
    acks: ACKS_ALL,
    autocreateTopics: false,
  });
  let encoder: LineEncoder | undefined;
  // Typed records (stdin a terminal) are echoed there already; a redrawn count would garble them.
  const progress = new Progress(io, json || io.stdinIsTTY, 'produced');
  const perPartition = new Map<number, { first: bigint; last: bigint }>();
  let sent = 0;
  let lines: ReturnType<typeof lineSource> | undefined;

  const send = async (batch: Pending[]) => {
    if (batch.length === 0) return;
    let result: Awaited<ReturnType<typeof producer.send>>;
    try {
      result = await producer.send({ messages: batch.map((b) => b.message), acks: ACKS_ALL });
    } catch (e) {
      const err = explainKafkaError(e, { bootstrap: target.bootstrap, doing: `producing to '${topic}'` });
      if (sent > 0) err.message += ` (${sent} records were produced before this)`;
      throw err;
    }
    // One batch per partition per send: a record's offset is its partition's base offset plus its place.
    const base = new Map((result.offsets ?? []).map((o) => [o.partition, o.offset]));
    const seen = new Map<number, bigint>();
    for (const b of batch) {
      const p = b.message.partition!;
      const i = seen.get(p) ?? 0n;
      seen.set(p, i + 1n);
      const offset = (base.get(p) ?? -1n) + i;
      const range = perPartition.get(p);
      if (range) range.last = offset;
      else perPartition.set(p, { first: offset, last: offset });
      if (json) io.out(`${JSON.stringify({ topic, partition: p, offset: Number(offset) })}\n`);
    }
    sent += batch.length;
    progress.update(sent);
  };

  try {
    let partitions: number;
    try {
      const md = await producer.metadata({ topics: [topic], retries: 0 });
      partitions = md.topics.get(topic)?.partitionsCount ?? 0;
    } catch (e) {
      throw explainKafkaError(e, { bootstrap: target.bootstrap, doing: `looking up '${topic}'` });
    }
    if (partitions === 0) throw unknownTopicError(topic, where);
    encoder = await lineEncoder(values, topic);
    builder.ready(partitions, encoder);

    const one = str(values, 'value');
    if (one !== undefined) {
      const m = builder.build(one, 0);
      if (m) await send([{ line: 0, message: m }]);
    } else {
      if (io.stdinIsTTY && !json) io.err(`reading records for ${topic} from stdin, one per line; Ctrl-D to finish\n`);
      lines = lineSource(io, io.stop());
      for (let chunk = await lines.take(); chunk !== undefined; chunk = await lines.take()) {
        const batch: Pending[] = [];
        for (const { text, line } of chunk) {
          let m: MessageToProduce<Buffer, Buffer, Buffer, Buffer> | undefined;
          try {
            m = builder.build(text, line);
          } catch (e) {
            // What came before the bad line is sent, so the report of what was produced is exact.
            await send(batch);
            if (sent > 0 && e instanceof Error) e.message += ` (${sent} records before it were produced)`;
            throw e;
          }
          if (m) batch.push({ line, message: m });
        }
        await send(batch);
      }
    }
    progress.done();
    if (!json) {
      const parts = [...perPartition.keys()].sort((a, b) => a - b);
      const detail = parts.map((p) => {
        const r = perPartition.get(p)!;
        return r.first === r.last ? `${p}@${r.first}` : `${p}@${r.first}-${r.last}`;
      });
      io.err(
        sent === 0
          ? `nothing to produce: no lines on stdin (use --value TEXT for one record)\n`
          : `produced ${sent} record${sent === 1 ? '' : 's'} to ${topic}${encoder ? ` (${encoder.describe})` : ''}, partition${parts.length === 1 ? '' : 's'} ${ranges(parts)}: ${detail.join(' ')}\n`,
      );
    }
    return 0;
  } finally {
    progress.done();
    lines?.close();
    encoder?.close();
    await producer.close().catch(() => {});
  }
}

export function createProduceCommand(io?: OpsIo): Command {
  const getIo = ioGetter(io);
  return {
    name: 'produce',
    summary: 'Write records to a topic: stdin lines or --value, with key, headers, timestamp; Avro through a registry.',
    usage,
    rewriteArgs: gatherRepeated({ header: 'H' }),
    options: {
      ...CONNECTION_OPTIONS,
      value: { type: 'string', valueName: 'TEXT', description: 'Produce this one record instead of reading stdin' },
      key: { type: 'string', short: 'k', valueName: 'KEY', description: 'Key of every record' },
      'key-separator': { type: 'string', short: 'K', valueName: 'SEP', description: 'Each line is KEY<SEP>VALUE (split at the first SEP)' },
      header: { type: 'string', short: 'H', valueName: 'KEY=VALUE', description: 'A header on every record; repeat for more' },
      timestamp: { type: 'string', valueName: 'TIME', description: 'Record timestamp: epoch ms or ISO date (default: now)' },
      partition: {
        type: 'string',
        short: 'p',
        valueName: 'N',
        description: 'Partition (default: by key hash as Java clients do, else round robin)',
      },
      'null-empty': { type: 'boolean', short: 'Z', description: 'An empty value is sent as null (a tombstone for compacted topics)' },
      registry: { ...REGISTRY_OPTION, description: 'Schema registry for --avro-schema / --subject (default http://127.0.0.1:8081)' },
      ...REGISTRY_CLIENT_OPTIONS,
      'avro-schema': {
        type: 'string',
        valueName: 'FILE',
        description: 'Encode each JSON line as Avro with this schema (registered under --subject or TOPIC-value)',
      },
      subject: {
        type: 'string',
        valueName: 'SUBJECT',
        description: "Encode with this subject's latest schema (or the one --avro-schema is registered under)",
      },
      'schema-version': { type: 'string', valueName: 'N', description: 'With --subject: this version instead of the latest' },
    },
    async run(values, positionals) {
      const [topic, extra] = positionals;
      if (topic === undefined) throw new UsageError(`missing the topic\nUsage: ${usage}`);
      if (extra !== undefined)
        throw new UsageError(`produce writes to one topic; unexpected '${extra}' (values come from stdin or --value)`);
      if (values.key !== undefined && values['key-separator'] !== undefined)
        throw new UsageError('give --key or --key-separator, not both');
      if (values['key-separator'] === '') throw new UsageError('--key-separator cannot be empty');
      if (values.value !== undefined && values['key-separator'] !== undefined)
        throw new UsageError('--key-separator splits stdin lines; with --value use --key');
      return produce(topic, values, getIo(), kafkaTarget(values));
    },
  };
}

export const produceCommand: Command = createProduceCommand();
