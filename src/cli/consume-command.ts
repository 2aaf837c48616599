// `brook consume TOPIC`: reads records kcat-style from an offset or a time, up to a count or the
// end (or on with --follow), showing key, headers, timestamp, partition and offset, Avro decoded
// through a registry (Confluent or Glue framing, per record); --json for scripts, --group to commit.
import { Consumer } from '@platformatic/kafka';
import { int, str, type Values } from '../ops/args.ts';
import { CONNECTION_OPTIONS, clientOptions, type KafkaTarget, kafkaTarget } from '../ops/connection.ts';
import type { OpsIo } from '../ops/io.ts';
import { explainKafkaError, isKafkaError, unknownTopicError } from '../ops/kafka-errors.ts';
import { type Cursor, PartitionReader } from '../ops/partition-reader.ts';
import { Progress } from '../ops/progress.ts';
import { humanRecord, jsonRecord, viewBytes } from '../ops/records.ts';
import { DEFAULT_REGISTRY, decodeSource, GLUE_REGION_OPTION, REGISTRY_OPTION, ValueDecoder } from '../ops/schemas.ts';
import { clampCursors, cursorsFor, startOf } from '../ops/start-offsets.ts';
import { ioGetter } from '../ops/subcommands.ts';
import { ranges } from '../ops/table.ts';
import { type Command, UsageError } from './command.ts';
import { REGISTRY_CLIENT_OPTIONS } from './registry-client-flags.ts';

const usage = [
  'brook consume <topic> [--offset earliest|latest|N|-N | --from-time TIME] [--partition N] [--count N] [--follow]',
  '                      [--group GROUP] [--registry URL] [--pretty | --value-only | --json]',
  '',
  'Reads from --offset (default earliest) to the end of each partition as it was at the start, then exits;',
  '--follow keeps waiting for new records (Ctrl-C stops). --count N stops after N records either way.',
  '',
  'Examples:',
  '  brook consume clicks --offset=-10                        the last 10 records of each partition',
  '  brook consume clickstream --registry http://127.0.0.1:8081 --from-time 2024-05-01T12:00:00Z --count 5',
  "  brook consume clicks --json --follow | jq -c '.value'",
].join('\n');

const MAX_WAIT_MS = 500;

type KafkaConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

async function consume(topic: string, values: Values, io: OpsIo, target: KafkaTarget): Promise<number> {
  const json = values.json === true;
  const follow = values.follow === true;
  const count = int(values, 'count', 1, Number.MAX_SAFE_INTEGER);
  const group = str(values, 'group');
  const onlyPartition = int(values, 'partition', 0, 1_000_000);
  const start = startOf(values);
  if (group !== undefined) {
    if (onlyPartition !== undefined) throw new UsageError('with --group the group assigns the partitions: drop --partition');
    if (start.kind !== 'earliest' && start.kind !== 'latest') {
      throw new UsageError(
        "with --group reading resumes at the group's committed offsets; --offset earliest|latest only says where to start without one",
      );
    }
  }
  const where = target.bootstrap.join(',');
  const warn = (s: string) => io.err(`brook consume: ${s}\n`);
  const decoder = new ValueDecoder(decodeSource(values), warn);
  const consumer: KafkaConsumer = new Consumer({
    ...clientOptions(target, 'brook-consume'),
    // Without --group no group is joined: the id is never sent.
    groupId: group ?? 'brook-consume',
    autocommit: false,
    isolationLevel: 0,
    maxWaitTime: MAX_WAIT_MS,
    sessionTimeout: 30_000,
    rebalanceTimeout: 30_000,
    heartbeatInterval: 3000,
  });
  const signal = io.stop();
  // Records on a terminal are their own progress; the count helps when they go to a file or pipe.
  const progress = new Progress(io, json || io.stdoutIsTTY, 'consumed', count);
  let printed = 0;
  let stalled = 0;
  const seen = new Set<number>();
  let cursors: Cursor[] = [];
  // Set by a rebalance: the partitions this member owns now.
  let reassigned: number[] | undefined;
  const doing = (what: string) => ({ bootstrap: target.bootstrap, doing: what });

  try {
    let partitionsCount: number;
    try {
      const md = await consumer.metadata({ topics: [topic], retries: 0 });
      partitionsCount = md.topics.get(topic)?.partitionsCount ?? 0;
    } catch (e) {
      throw explainKafkaError(e, doing(`looking up '${topic}'`));
    }
    if (partitionsCount === 0) throw unknownTopicError(topic, where);
    if (onlyPartition !== undefined && onlyPartition >= partitionsCount) {
      throw new UsageError(
        `--partition ${onlyPartition} does not exist: topic '${topic}' has ${partitionsCount} partition${partitionsCount === 1 ? '' : 's'} (0-${partitionsCount - 1})`,
      );
    }
    const reader = new PartitionReader(consumer, topic, MAX_WAIT_MS);

    // Where each partition starts: the group's commit, else --offset / --from-time.
    const fallback = start;
    const assign = async (partitions: number[]) => {
      let committed = new Map<number, bigint>();
      if (group !== undefined && partitions.length > 0) {
        const c = await consumer.listCommittedOffsets({ topics: [{ topic, partitions }] });
        const list = c.get(topic) ?? [];
        committed = new Map(partitions.map((p) => [p, list[p] ?? -1n]));
      }
      cursors = await cursorsFor(
        consumer,
        topic,
        partitions,
        (p) => {
          const c = committed.get(p);
          return c !== undefined && c >= 0n ? { kind: 'offset', offset: c } : fallback;
        },
        follow,
        warn,
      );
    };

    try {
      if (group !== undefined) {
        consumer.on('consumer:group:join', (payload) => {
          reassigned = (payload.assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions);
        });
        await consumer.joinGroup({ sessionTimeout: 30_000, rebalanceTimeout: 30_000, heartbeatInterval: 3000 });
        const mine = (consumer.assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions);
        reassigned = undefined;
        if (mine.length === 0) warn(`group '${group}' gave this member no partitions of ${topic} (other members hold them)`);
        await assign(mine);
      } else {
        await assign(onlyPartition !== undefined ? [onlyPartition] : Array.from({ length: partitionsCount }, (_, i) => i));
      }
    } catch (e) {
      throw explainKafkaError(e, doing(group !== undefined ? `joining group '${group}'` : `finding the offsets of '${topic}'`));
    }

    const commit = async (offsets: Map<number, bigint>) => {
      if (group === undefined || offsets.size === 0) return;
      try {
        await consumer.commit({ offsets: [...offsets].map(([partition, offset]) => ({ topic, partition, offset, leaderEpoch: -1 })) });
      } catch (e) {
        throw explainKafkaError(e, doing(`committing offsets for group '${group}'`));
      }
    };

    let caughtUp = false;
    while (!signal.aborted && (count === undefined || printed < count)) {
      if (reassigned !== undefined) {
        const now = reassigned;
        reassigned = undefined;
        await assign(now);
      }
      if (follow && !caughtUp && cursors.every((c) => c.position >= c.endAtStart)) {
        // Said once, so a person (or a test) knows that everything after this is new.
        caughtUp = true;
        if (!json)
          warn(`at the end of ${topic}${printed > 0 ? ` after ${printed} records` : ''}; waiting for new records (Ctrl-C to stop)`);
      }
      const active = cursors.filter((c) => c.end === undefined || c.position < c.end);
      if (active.length === 0) {
        if (!follow) break;
        // A --follow member with nothing assigned waits for a rebalance to give it partitions.
        await new Promise((r) => setTimeout(r, MAX_WAIT_MS));
        continue;
      }
      let fetched: Awaited<ReturnType<PartitionReader['fetch']>>;
      try {
        fetched = await reader.fetch(active);
      } catch (e) {
        if (isKafkaError(e, 'OFFSET_OUT_OF_RANGE')) {
          await clampCursors(consumer, topic, active, warn);
          continue;
        }
        throw explainKafkaError(e, doing(`reading '${topic}'`));
      }
      const toCommit = new Map<number, bigint>();
      for (const f of fetched) {
        const cursor = cursors.find((c) => c.partition === f.partition);
        if (!cursor) continue;
        let next = f.next;
        for (const rec of f.records) {
          if (cursor.end !== undefined && rec.offset >= cursor.end) {
            next = cursor.end;
            break;
          }
          // Past --count, or stopped (Ctrl-C, closed pipe): this record was not shown, so it is not committed.
          if ((count !== undefined && printed >= count) || signal.aborted) {
            next = rec.offset;
            break;
          }
          const view = await decoder.view(rec.value, viewBytes);
          if (json) io.out(`${JSON.stringify(jsonRecord(rec, view))}\n`);
          else io.out(humanRecord(rec, view, { pretty: values.pretty === true, valueOnly: values['value-only'] === true }));
          printed++;
          seen.add(rec.partition);
        }
        if (next > cursor.position) {
          cursor.position = next;
          toCommit.set(cursor.partition, next);
        }
      }
      // Rounds where no partition moved, though some are short of their end: the broker has nothing
      // there (records gone since the end was read). After a few, stop waiting for them.
      if (toCommit.size === 0 && !follow) {
        if (++stalled >= 3) {
          for (const c of active) {
            if (c.end !== undefined && c.position < c.end) {
              warn(`partition ${c.partition}: no records between offsets ${c.position} and ${c.end}; stopping there`);
              c.position = c.end;
            }
          }
        }
      } else stalled = 0;
      await commit(toCommit);
      progress.update(printed);
      await io.drained();
    }
    progress.done();
    if (!json) {
      const parts = [...seen].sort((a, b) => a - b);
      io.err(
        `consumed ${printed} record${printed === 1 ? '' : 's'} from ${topic}${parts.length > 0 ? ` (partition${parts.length === 1 ? '' : 's'} ${ranges(parts)})` : ''}${
          group !== undefined ? `; offsets committed for group ${group}` : ''
        }${signal.aborted ? '; stopped' : ''}\n`,
      );
    }
    return 0;
  } finally {
    progress.done();
    decoder.close();
    // Leaves the group (when joined) so the others rebalance at once instead of after the session timeout.
    await consumer.close().catch(() => {});
  }
}

export function createConsumeCommand(io?: OpsIo): Command {
  const getIo = ioGetter(io);
  return {
    name: 'consume',
    summary: 'Read records from a topic (from an offset or time, a count, or follow) with keys, headers and Avro decoding.',
    usage,
    options: {
      ...CONNECTION_OPTIONS,
      offset: {
        type: 'string',
        short: 'o',
        valueName: 'WHERE',
        description: 'earliest (default), latest, an offset N, or -N: N before the end (--offset=-N)',
      },
      'from-time': {
        type: 'string',
        valueName: 'TIME',
        description: 'Start at the first record at or after this time (epoch ms or ISO date)',
      },
      partition: { type: 'string', short: 'p', valueName: 'N', description: 'Only this partition (default: all)' },
      count: { type: 'string', short: 'c', valueName: 'N', description: 'Stop after N records' },
      follow: { type: 'boolean', short: 'f', description: 'Keep waiting for new records at the end (Ctrl-C stops)' },
      group: {
        type: 'string',
        short: 'g',
        valueName: 'GROUP',
        description: 'Join this consumer group: read its partitions from its committed offsets (else --offset) and commit what is printed',
      },
      registry: {
        ...REGISTRY_OPTION,
        description: `Decode framed Avro values through this registry (e.g. ${DEFAULT_REGISTRY}); Confluent and Glue framing`,
      },
      'glue-region': GLUE_REGION_OPTION,
      ...REGISTRY_CLIENT_OPTIONS,
      pretty: { type: 'boolean', description: 'Indent JSON and Avro values' },
      'value-only': { type: 'boolean', description: 'Print only the values, one per line (for pipes)' },
    },
    async run(values, positionals) {
      const [topic, extra] = positionals;
      if (topic === undefined) throw new UsageError(`missing the topic\nUsage: ${usage}`);
      if (extra !== undefined) throw new UsageError(`consume reads one topic; unexpected '${extra}'`);
      if (values.json && (values.pretty || values['value-only']))
        throw new UsageError('--json prints whole records; drop --pretty / --value-only');
      return consume(topic, values, getIo(), kafkaTarget(values));
    },
  };
}

export const consumeCommand: Command = createConsumeCommand();
