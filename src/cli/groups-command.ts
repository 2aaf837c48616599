// `brook groups`: consumer groups on any Kafka-compatible cluster: their state, members with what
// each is assigned, and per partition the committed offset, the log end and the lag between them.
import { type Admin, FindCoordinatorKeyTypes } from '@platformatic/kafka';
import { BrookError } from '../common/errors.ts';
import { need } from '../ops/args.ts';
import { CONNECTION_OPTIONS, type KafkaTarget, kafkaTarget, withAdmin } from '../ops/connection.ts';
import type { OpsIo } from '../ops/io.ts';
import { explainKafkaError } from '../ops/kafka-errors.ts';
import { type LogRange, logRanges } from '../ops/offsets.ts';
import { commandWithSubcommands, type Subcommand } from '../ops/subcommands.ts';
import { ranges, renderFields, renderTable } from '../ops/table.ts';
import { type Command, UsageError } from './command.ts';

interface OffsetRow {
  topic: string;
  partition: number;
  /** null: nothing committed for this partition (yet). */
  committed: number | null;
  end: number | null;
  lag: number | null;
  memberId: string | null;
  clientId: string | null;
}

interface GroupReport {
  group: string;
  state: string;
  protocolType: string;
  protocol: string;
  coordinator: { id: number; host: string; port: number } | null;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    host: string;
    assignments: { topic: string; partitions: number[] }[];
  }[];
  offsets: OffsetRow[];
  totalLag: number;
}

const key = (topic: string, partition: number) => `${topic}\0${partition}`;

/** End offsets per topic; a topic that is gone (deleted under the group) has none rather than failing all. */
async function endsOf(admin: Admin, byTopic: Map<string, number[]>): Promise<Map<string, Map<number, LogRange>>> {
  try {
    return await logRanges(admin, byTopic);
  } catch {
    const out = new Map<string, Map<number, LogRange>>();
    for (const [topic, ps] of byTopic) {
      try {
        const one = await logRanges(admin, new Map([[topic, ps]]));
        out.set(topic, one.get(topic) ?? new Map());
      } catch {
        out.set(topic, new Map());
      }
    }
    return out;
  }
}

function lagOf(committed: bigint | undefined, end: bigint | undefined): number | null {
  if (committed === undefined || committed < 0n || end === undefined) return null;
  return Number(end > committed ? end - committed : 0n);
}

async function committedOffsets(admin: Admin, groups: string[]): Promise<Map<string, Map<string, bigint>>> {
  const out = new Map<string, Map<string, bigint>>();
  if (groups.length === 0) return out;
  for (const g of await admin.listConsumerGroupOffsets({ groups })) {
    const m = new Map<string, bigint>();
    for (const t of g.topics)
      for (const p of t.partitions) if (p.committedOffset >= 0n) m.set(key(t.name, p.partitionIndex), p.committedOffset);
    out.set(g.groupId, m);
  }
  return out;
}

async function describeGroups(admin: Admin, groups: string[], where: string): Promise<GroupReport[]> {
  const described = await admin.describeGroups({ groups });
  const committed = await committedOffsets(admin, groups);
  const coordinators = new Map(
    (await admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: groups })).map((c) => [c.key, c]),
  );
  const reports: GroupReport[] = [];
  for (const id of groups) {
    const g = described.get(id);
    const offsets = committed.get(id) ?? new Map<string, bigint>();
    if (!g || ((g.state === 'Dead' || g.state === 'DEAD' || String(g.state) === '') && g.members.size === 0 && offsets.size === 0)) {
      throw new BrookError('KAFKA_UNKNOWN_GROUP', `consumer group '${id}' does not exist on ${where}: see 'brook groups list'`);
    }
    const owner = new Map<string, { memberId: string; clientId: string }>();
    const members = [...g.members.values()].map((m) => {
      const assignments = [...(m.assignments?.values() ?? [])].map((a) => ({
        topic: a.topic,
        partitions: [...a.partitions].sort((x, y) => x - y),
      }));
      for (const a of assignments) for (const p of a.partitions) owner.set(key(a.topic, p), { memberId: m.id, clientId: m.clientId });
      return { memberId: m.id, groupInstanceId: m.groupInstanceId ?? null, clientId: m.clientId, host: m.clientHost, assignments };
    });
    // Every partition with a commit or an owner: a new member's partitions show up before their first commit.
    const partitions = new Map<string, { topic: string; partition: number }>();
    for (const k of [...offsets.keys(), ...owner.keys()]) {
      const [topic, p] = k.split('\0') as [string, string];
      partitions.set(k, { topic, partition: Number(p) });
    }
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions.values()) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const ends = await endsOf(admin, byTopic);
    const rows: OffsetRow[] = [...partitions.values()]
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      .map(({ topic, partition }) => {
        const c = offsets.get(key(topic, partition));
        const end = ends.get(topic)?.get(partition)?.end;
        const who = owner.get(key(topic, partition));
        return {
          topic,
          partition,
          committed: c === undefined ? null : Number(c),
          end: end === undefined ? null : Number(end),
          lag: lagOf(c, end),
          memberId: who?.memberId ?? null,
          clientId: who?.clientId ?? null,
        };
      });
    const coord = coordinators.get(id);
    reports.push({
      group: id,
      state: g.state,
      protocolType: g.protocolType,
      protocol: g.protocol,
      coordinator: coord ? { id: coord.nodeId, host: coord.host, port: coord.port } : null,
      members,
      offsets: rows,
      totalLag: rows.reduce((a, r) => a + (r.lag ?? 0), 0),
    });
  }
  return reports;
}

const dash = (v: number | string | null) => (v === null || v === '' ? '-' : v);

const subcommands: Record<string, Subcommand> = {
  list: {
    usage: 'brook groups list',
    summary: 'Lists the consumer groups with their state, member count and total lag.',
    example: 'brook groups list -b 127.0.0.1:9092',
    async run(args, values, io) {
      if (args.length > 0) throw new UsageError(`groups list takes no arguments, got '${args[0]}'`);
      const target = kafkaTarget(values);
      const rows = await run(target, 'listing consumer groups', async (admin) => {
        const listed = [...(await admin.listGroups()).values()].sort((a, b) => a.id.localeCompare(b.id));
        if (listed.length === 0) return [];
        const ids = listed.map((g) => g.id);
        const described = await admin.describeGroups({ groups: ids });
        const committed = await committedOffsets(admin, ids);
        const byTopic = new Map<string, Set<number>>();
        for (const m of committed.values()) {
          for (const k of m.keys()) {
            const [topic, p] = k.split('\0') as [string, string];
            byTopic.set(topic, (byTopic.get(topic) ?? new Set()).add(Number(p)));
          }
        }
        const ends = await endsOf(admin, new Map([...byTopic].map(([t, ps]) => [t, [...ps]])));
        return listed.map((g) => {
          let lag = 0;
          for (const [k, c] of committed.get(g.id) ?? []) {
            const [topic, p] = k.split('\0') as [string, string];
            lag += lagOf(c, ends.get(topic)?.get(Number(p))?.end) ?? 0;
          }
          return { group: g.id, state: g.state, protocolType: g.protocolType, members: described.get(g.id)?.members.size ?? 0, lag };
        });
      });
      if (values.json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0) io.out('(no consumer groups)\n');
      else
        io.out(
          renderTable(
            ['GROUP', 'STATE', 'TYPE', 'MEMBERS', 'LAG'],
            rows.map((r) => [r.group, r.state, dash(r.protocolType), r.members, r.lag]),
            io.columns,
          ),
        );
      return 0;
    },
  },

  describe: {
    usage: 'brook groups describe <group>...',
    summary:
      'Shows a group: state, protocol, coordinator, members (client id, host, assigned partitions), and per partition the committed offset, log end, lag and owner.',
    example: 'brook groups describe clickstream-processor',
    async run(args, values, io) {
      const groups = need(args, 1, 'the group id', subcommands.describe!.usage);
      const target = kafkaTarget(values);
      const reports = await run(target, `describing ${groups.join(', ')}`, (admin) =>
        describeGroups(admin, groups, target.bootstrap.join(',')),
      );
      if (values.json) {
        io.out(`${JSON.stringify(reports, null, 2)}\n`);
        return 0;
      }
      const blocks = reports.map((r) => {
        const head = renderFields([
          ['group', r.group],
          ['state', r.state],
          ['protocol', `${r.protocolType || '-'}${r.protocol ? ` (${r.protocol})` : ''}`],
          ['coordinator', r.coordinator ? `${r.coordinator.id} (${r.coordinator.host}:${r.coordinator.port})` : '-'],
          ['members', r.members.length],
          ['total lag', r.totalLag],
        ]);
        const members =
          r.members.length === 0
            ? '(no active members)\n'
            : renderTable(
                ['MEMBER', 'CLIENT-ID', 'HOST', 'ASSIGNMENT'],
                r.members.map((m) => [
                  m.memberId,
                  m.clientId,
                  m.host,
                  m.assignments.map((a) => `${a.topic}:${ranges(a.partitions)}`).join(' ') || '-',
                ]),
                io.columns,
              );
        const offsets =
          r.offsets.length === 0
            ? '(no committed offsets)\n'
            : renderTable(
                ['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG', 'CLIENT-ID', 'MEMBER'],
                r.offsets.map((o) => [
                  o.topic,
                  o.partition,
                  dash(o.committed),
                  dash(o.end),
                  dash(o.lag),
                  dash(o.clientId),
                  dash(o.memberId),
                ]),
                io.columns,
              );
        return `${head}\n${members}\n${offsets}`;
      });
      io.out(blocks.join('\n'));
      return 0;
    },
  },
};

async function run<T>(target: KafkaTarget, doing: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  try {
    return await withAdmin(target, 'brook-groups', fn);
  } catch (e) {
    throw explainKafkaError(e, { bootstrap: target.bootstrap, doing });
  }
}

export function createGroupsCommand(io?: OpsIo): Command {
  return commandWithSubcommands(
    {
      name: 'groups',
      summary: 'List consumer groups; describe one with its members, assignments and lag per partition.',
      subcommands,
      options: { ...CONNECTION_OPTIONS },
    },
    io,
  );
}

export const groupsCommand: Command = createGroupsCommand();
