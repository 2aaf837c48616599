// `brook acls add|list|remove`: Kafka ACLs of a running broker (Brook's, Apache Kafka's, MSK's)
// through CreateAcls, DescribeAcls and DeleteAcls, or, with --data-dir, of a stopped Brook broker,
// which is how the first ACLs of a broker that denies by default come to exist.
import type { Acl, AclFilter as WireFilter } from '@platformatic/kafka';
import { BrookError } from '../common/errors.ts';
import { lockDataDir } from '../log/dir-lock.ts';
import { str, type Values } from '../ops/args.ts';
import { CONNECTION_OPTIONS, kafkaTarget, withAdmin } from '../ops/connection.ts';
import type { OpsIo } from '../ops/io.ts';
import { explainKafkaError } from '../ops/kafka-errors.ts';
import { commandWithSubcommands, type Subcommand } from '../ops/subcommands.ts';
import { renderTable } from '../ops/table.ts';
import {
  type AclBinding,
  type AclFilter,
  CLUSTER_NAME,
  invalidBinding,
  Operation,
  operationName,
  PatternType,
  Permission,
  parseEnum,
  patternTypeName,
  permissionName,
  ResourceType,
  resourceTypeName,
} from '../security/acl.ts';
import { AclStore } from '../security/acl-store.ts';
import { type Command, UsageError } from './command.ts';

/** Where the ACLs live: a broker over the wire, or a stopped broker's data directory. */
interface AclBackend {
  create(bindings: AclBinding[]): Promise<void>;
  describe(filter: AclFilter): Promise<AclBinding[]>;
  remove(filter: AclFilter): Promise<AclBinding[]>;
  close(): Promise<void>;
}

const fromWire = (r: { resourceType: number; resourceName: string; resourcePatternType: number }, a: Omit<Acl, keyof typeof r>) => ({
  resourceType: r.resourceType,
  resourceName: r.resourceName,
  patternType: r.resourcePatternType,
  principal: a.principal,
  host: a.host,
  operation: a.operation,
  permission: a.permissionType,
});

const toWireFilter = (f: AclFilter): WireFilter =>
  ({
    resourceType: f.resourceType,
    resourceName: f.resourceName,
    resourcePatternType: f.patternType,
    principal: f.principal,
    host: f.host,
    operation: f.operation,
    permissionType: f.permission,
  }) as WireFilter;

async function wireBackend(values: Values): Promise<AclBackend> {
  const target = kafkaTarget(values);
  const call = <T>(doing: string, fn: (admin: Parameters<Parameters<typeof withAdmin>[2]>[0]) => Promise<T>) =>
    withAdmin(target, 'brook-acls', fn).catch((e) => {
      throw explainKafkaError(e, { bootstrap: target.bootstrap, doing });
    });
  return {
    create: (bindings) =>
      call('creating ACLs', (admin) =>
        admin.createAcls({
          creations: bindings.map(
            (b) =>
              ({
                resourceType: b.resourceType,
                resourceName: b.resourceName,
                resourcePatternType: b.patternType,
                principal: b.principal,
                host: b.host,
                operation: b.operation,
                permissionType: b.permission,
              }) as Acl,
          ),
        }),
      ),
    describe: (filter) =>
      call('listing ACLs', async (admin) =>
        (await admin.describeAcls({ filter: toWireFilter(filter) })).flatMap((r) => r.acls.map((a) => fromWire(r, a))),
      ),
    remove: (filter) =>
      call('removing ACLs', async (admin) => (await admin.deleteAcls({ filters: [toWireFilter(filter)] })).map((a) => fromWire(a, a))),
    close: async () => {},
  };
}

function dirBackend(dataDir: string): AclBackend {
  // The lock proves no broker is running on this directory (it would not see the change).
  const release = lockDataDir(dataDir);
  const store = new AclStore(dataDir);
  return {
    create: async (bindings) => store.add(bindings),
    describe: async (filter) => store.describe(filter),
    remove: async (filter) => store.remove([filter])[0] ?? [],
    close: async () => release(),
  };
}

async function withBackend<T>(values: Values, fn: (b: AclBackend) => Promise<T>): Promise<T> {
  const dir = str(values, 'data-dir');
  if (dir !== undefined && (str(values, 'bootstrap') !== undefined || str(values, 'properties') !== undefined)) {
    throw new UsageError("--data-dir works on a stopped broker's files; it does not go with --bootstrap or --properties");
  }
  const backend = dir !== undefined ? dirBackend(dir) : await wireBackend(values);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

/** The resource named by --topic, --group, --transactional-id or --cluster (at most one). */
function resource(values: Values, required: boolean): { type: number; name: string | null } {
  const given: { type: number; name: string | null }[] = [];
  if (str(values, 'topic') !== undefined) given.push({ type: ResourceType.TOPIC, name: str(values, 'topic') as string });
  if (str(values, 'group') !== undefined) given.push({ type: ResourceType.GROUP, name: str(values, 'group') as string });
  if (str(values, 'transactional-id') !== undefined)
    given.push({ type: ResourceType.TRANSACTIONAL_ID, name: str(values, 'transactional-id') as string });
  if (values.cluster === true) given.push({ type: ResourceType.CLUSTER, name: CLUSTER_NAME });
  if (given.length > 1) throw new UsageError('name one resource: --topic, --group, --transactional-id or --cluster');
  if (given.length === 0) {
    if (required)
      throw new UsageError("which resource? give --topic NAME, --group NAME, --transactional-id NAME or --cluster ('*' for all)");
    return { type: ResourceType.ANY, name: null };
  }
  return given[0] as { type: number; name: string | null };
}

function operations(values: Values, required: boolean): number[] {
  const raw = str(values, 'operation');
  if (raw === undefined) {
    if (required) throw new UsageError('which operations? give --operation, e.g. Read,Describe (or All)');
    return [Operation.ANY];
  }
  try {
    return raw.split(',').map((s) => parseEnum(Operation, 'operation', s.trim()));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function principals(values: Values, required: boolean): (string | null)[] {
  const raw = str(values, 'principal');
  if (raw === undefined) {
    if (required) throw new UsageError('whose ACL? give --principal User:NAME (User:* for everyone)');
    return [null];
  }
  const list = raw.split(',').map((s) => s.trim());
  for (const p of list) if (!/^User:.+/.test(p)) throw new UsageError(`principal '${p}' must look like User:NAME (or User:*)`);
  return list;
}

function permissionOf(values: Values, orAny: boolean): number {
  if (values.deny === true && values.allow === true) throw new UsageError('--allow or --deny, not both');
  if (values.deny === true) return Permission.DENY;
  if (values.allow === true || !orAny) return Permission.ALLOW;
  return Permission.ANY;
}

function filterOf(values: Values): AclFilter[] {
  const r = resource(values, false);
  const patternType = values.prefixed === true ? PatternType.PREFIXED : values.match === true ? PatternType.MATCH : PatternType.ANY;
  const permission = permissionOf(values, true);
  const host = str(values, 'host') ?? null;
  return principals(values, false).flatMap((principal) =>
    operations(values, false).map((operation) => ({
      resourceType: r.type,
      resourceName: r.name,
      patternType,
      principal,
      host,
      operation,
      permission,
    })),
  );
}

const row = (b: AclBinding) => ({
  resourceType: resourceTypeName(b.resourceType),
  resourceName: b.resourceName,
  patternType: patternTypeName(b.patternType),
  principal: b.principal,
  host: b.host,
  operation: operationName(b.operation),
  permission: permissionName(b.permission),
});

function print(io: OpsIo, values: Values, bindings: AclBinding[], empty: string): void {
  const rows = bindings.map(row);
  if (values.json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    io.out(`${empty}\n`);
    return;
  }
  io.out(
    renderTable(
      ['RESOURCE', 'NAME', 'PATTERN', 'PRINCIPAL', 'HOST', 'OPERATION', 'PERMISSION'],
      rows.map((r) => [r.resourceType, r.resourceName, r.patternType, r.principal, r.host, r.operation, r.permission]),
      io.columns,
    ),
  );
}

const subcommands: Record<string, Subcommand> = {
  add: {
    usage:
      'brook acls add --principal User:NAME --operation OP[,OP...] (--topic NAME | --group NAME | --transactional-id NAME | --cluster) [--prefixed] [--deny] [--host IP]',
    summary: "Allow (or with --deny, deny) principals operations on a resource; '*' names every resource of the type.",
    example: 'brook acls add --principal User:alice --operation Read,Describe --topic clicks- --prefixed --bootstrap 127.0.0.1:9092',
    async run(_args, values, io) {
      const r = resource(values, true);
      if (values.match === true) throw new UsageError('--match selects ACLs to list or remove; an ACL is literal or --prefixed');
      const bindings: AclBinding[] = principals(values, true).flatMap((principal) =>
        operations(values, true).map((operation) => ({
          resourceType: r.type,
          resourceName: r.name as string,
          patternType: values.prefixed === true ? PatternType.PREFIXED : PatternType.LITERAL,
          principal: principal as string,
          host: str(values, 'host') ?? '*',
          operation,
          permission: permissionOf(values, false),
        })),
      );
      for (const b of bindings) {
        const problem = invalidBinding(b);
        if (problem) throw new UsageError(problem);
      }
      await withBackend(values, (b) => b.create(bindings));
      if (values.json) io.out(`${JSON.stringify(bindings.map(row), null, 2)}\n`);
      else
        for (const b of bindings.map(row))
          io.out(
            `added: ${b.permission} ${b.principal} ${b.operation} on ${b.resourceType} ${b.patternType} '${b.resourceName}' from host ${b.host}\n`,
          );
      return 0;
    },
  },
  list: {
    usage:
      'brook acls list [--topic NAME | --group NAME | --transactional-id NAME | --cluster] [--prefixed | --match] [--principal User:NAME] [--json]',
    summary: 'List ACLs, all of them or those matching the options (--match: every ACL that applies to the named resource).',
    example: 'brook acls list --topic orders --match --bootstrap 127.0.0.1:9092',
    async run(_args, values, io) {
      const filters = filterOf(values);
      const found = await withBackend(values, async (b) => {
        const out: AclBinding[] = [];
        for (const f of filters) out.push(...(await b.describe(f)));
        return out;
      });
      print(io, values, found, '(no ACLs)');
      return 0;
    },
  },
  remove: {
    usage:
      'brook acls remove (--topic NAME | --group NAME | --transactional-id NAME | --cluster) [--prefixed] [--principal User:NAME] [--operation OP] [--allow | --deny] [--host IP]',
    summary: 'Remove the ACLs that match the options (every operation and permission of the resource unless narrowed).',
    example: 'brook acls remove --topic orders --principal User:alice --operation Write --bootstrap 127.0.0.1:9092',
    async run(_args, values, io) {
      resource(values, true);
      // Without --prefixed or --match, remove names the literal ACLs of the resource, as kafka-acls does.
      const filters = filterOf(values).map((f) => (f.patternType === PatternType.ANY ? { ...f, patternType: PatternType.LITERAL } : f));
      const removed = await withBackend(values, async (b) => {
        const out: AclBinding[] = [];
        for (const f of filters) out.push(...(await b.remove(f)));
        return out;
      });
      if (removed.length === 0 && !values.json) throw new BrookError('ACLS', 'no ACL matched: nothing removed (see brook acls list)');
      print(io, values, removed, '(none removed)');
      return 0;
    },
  },
};

export function createAclsCommand(io?: OpsIo): Command {
  return commandWithSubcommands(
    {
      name: 'acls',
      summary:
        "Add, list and remove Kafka ACLs (who may do what to which topic, group, transactional id or the cluster) on a broker or a stopped broker's data directory.",
      subcommands,
      options: {
        ...CONNECTION_OPTIONS,
        'data-dir': { type: 'string', valueName: 'DIR', description: "A stopped Brook broker's data directory, instead of --bootstrap" },
        principal: { type: 'string', valueName: 'User:NAME,...', description: 'Principals (User:* for everyone)' },
        operation: {
          type: 'string',
          valueName: 'OP,...',
          description: 'Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite or All',
        },
        topic: { type: 'string', valueName: 'NAME', description: "A topic ('*': every topic)" },
        group: { type: 'string', valueName: 'NAME', description: "A consumer group ('*': every group)" },
        'transactional-id': { type: 'string', valueName: 'ID', description: "A transactional id ('*': every one)" },
        cluster: { type: 'boolean', default: false, description: 'The cluster (creating topics, managing ACLs and users, ...)' },
        prefixed: {
          type: 'boolean',
          default: false,
          description: 'The name is a prefix: the ACL covers every resource whose name starts with it',
        },
        match: {
          type: 'boolean',
          default: false,
          description: 'list/remove: every ACL that applies to the named resource (literal, * and prefixes)',
        },
        deny: { type: 'boolean', default: false, description: 'A DENY ACL (a deny wins over any allow)' },
        allow: { type: 'boolean', default: false, description: 'An ALLOW ACL (the default for add)' },
        host: { type: 'string', valueName: 'IP', description: "The client address the ACL applies to (default '*': any)" },
      },
    },
    io,
  );
}

export const aclsCommand: Command = createAclsCommand();
