// `brook users add|list|remove`: SCRAM users of a running broker (Brook's, Apache Kafka's, MSK's)
// through DescribeUserScramCredentials and AlterUserScramCredentials, or, with --data-dir, of a
// stopped Brook broker, which is how the first user of a SASL-only broker comes to exist.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { alterUserScramCredentialsV0, Connection, describeUserScramCredentialsV0 } from '@platformatic/kafka';
import { BrookError } from '../common/errors.ts';
import { lockDataDir } from '../log/dir-lock.ts';
import { int, need, str, type Values } from '../ops/args.ts';
import { CONNECTION_OPTIONS, clientOptions, type KafkaTarget, kafkaTarget } from '../ops/connection.ts';
import type { OpsIo } from '../ops/io.ts';
import { explainKafkaError } from '../ops/kafka-errors.ts';
import { commandWithSubcommands, type Subcommand } from '../ops/subcommands.ts';
import { renderTable } from '../ops/table.ts';
import { CredentialStore } from '../security/credential-store.ts';
import {
  credentialFromSalted,
  DEFAULT_ITERATIONS,
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  SCRAM_MECHANISM_IDS,
  type ScramMechanism,
  saltPassword,
  scramMechanismById,
} from '../security/scram.ts';
import { type Command, UsageError } from './command.ts';

const ALL: ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

interface UserInfo {
  user: string;
  credentials: { mechanism: ScramMechanism; iterations: number }[];
}

/** Where the users live: a broker over the wire, or a stopped broker's data directory. */
interface UserBackend {
  describe(users: string[] | null): Promise<UserInfo[]>;
  alter(
    upserts: { user: string; mechanism: ScramMechanism; iterations: number; salt: Buffer; salted: Buffer }[],
    deletions: { user: string; mechanism: ScramMechanism }[],
  ): Promise<void>;
  close(): Promise<void>;
}

async function wireBackend(target: KafkaTarget): Promise<UserBackend> {
  // @platformatic/kafka's Admin has no methods for these two APIs, but the library exports both
  // API codecs and its Connection (which does TLS and SASL), so no second client is needed.
  const o = clientOptions(target, 'brook-users');
  const conn = new Connection('brook-users', {
    connectTimeout: o.connectTimeout,
    requestTimeout: o.timeout,
    ...(o.tls ? { tls: o.tls } : {}),
    ...(o.tlsServerName !== undefined ? { tlsServerName: o.tlsServerName } : {}),
    ...(o.sasl ? { sasl: o.sasl } : {}),
  });
  const [host, port] = splitHostPort(target.bootstrap[0] as string);
  const doing = (what: string) => ({ bootstrap: target.bootstrap, doing: what });
  try {
    await conn.connect(host, port);
  } catch (e) {
    throw explainKafkaError(e, doing('connecting'));
  }
  return {
    async describe(users) {
      let r: Awaited<ReturnType<typeof describeUserScramCredentialsV0.api.async>>;
      try {
        r = await describeUserScramCredentialsV0.api.async(conn, users === null ? null : users.map((name) => ({ name })));
      } catch (e) {
        // A user that does not exist is an error per user; the response still lists the others.
        const response = (e as { response?: typeof r }).response;
        if (response?.errorCode !== 0) throw explainKafkaError(e, doing('describing SCRAM users'));
        r = response;
      }
      const missing = r.results.filter((x) => x.errorCode !== 0);
      if (missing.length > 0) {
        throw new BrookError('USERS', missing.map((m) => `user ${m.user}: ${m.errorMessage ?? `error ${m.errorCode}`}`).join('; '));
      }
      return r.results.map((x) => ({
        user: x.user,
        credentials: x.credentialInfos.map((c) => ({
          mechanism: scramMechanismById(c.mechanism) ?? (`mechanism ${c.mechanism}` as ScramMechanism),
          iterations: c.iterations,
        })),
      }));
    },
    async alter(upserts, deletions) {
      try {
        await alterUserScramCredentialsV0.api.async(
          conn,
          deletions.map((d) => ({ name: d.user, mechanism: SCRAM_MECHANISM_IDS[d.mechanism] })),
          upserts.map((u) => ({
            name: u.user,
            mechanism: SCRAM_MECHANISM_IDS[u.mechanism],
            iterations: u.iterations,
            salt: u.salt,
            saltedPassword: u.salted,
          })),
        );
      } catch (e) {
        const results = (e as { response?: { results?: { user: string; errorCode: number; errorMessage: string | null }[] } }).response
          ?.results;
        const failed = results?.filter((x) => x.errorCode !== 0) ?? [];
        if (failed.length > 0)
          throw new BrookError('USERS', failed.map((f) => `user ${f.user}: ${f.errorMessage ?? `error ${f.errorCode}`}`).join('; '));
        throw explainKafkaError(e, doing('changing SCRAM users'));
      }
    },
    close: () => conn.close().catch(() => {}),
  };
}

function dirBackend(dataDir: string): UserBackend {
  // The lock proves no broker is running on this directory (it would not see the change).
  const release = lockDataDir(dataDir);
  const store = new CredentialStore(dataDir);
  return {
    async describe(users) {
      if (users === null) return store.list();
      return users.map((user) => {
        const credentials = store.describe(user);
        if (!credentials) throw new BrookError('USERS', `user ${user}: no such SCRAM user in ${dataDir}`);
        return { user, credentials };
      });
    },
    async alter(upserts, deletions) {
      store.apply({
        upsert: upserts.map((u) => ({
          user: u.user,
          mechanism: u.mechanism,
          credential: credentialFromSalted(u.mechanism, u.salt, u.salted, u.iterations),
        })),
        remove: deletions,
      });
    },
    close: async () => release(),
  };
}

function splitHostPort(s: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(s) as RegExpExecArray;
  return [(m[1] as string).replace(/^\[(.*)\]$/, '$1'), Number(m[2])];
}

function mechanisms(values: Values): ScramMechanism[] {
  const raw = str(values, 'mechanism');
  if (raw === undefined) return ALL;
  const out = raw.split(',').map((s) => s.trim().toUpperCase());
  for (const m of out)
    if (!ALL.includes(m as ScramMechanism)) throw new UsageError(`--mechanism takes SCRAM-SHA-256 and/or SCRAM-SHA-512, got '${m}'`);
  return out as ScramMechanism[];
}

function password(values: Values): string {
  const p = str(values, 'password');
  const file = str(values, 'password-file');
  if ((p === undefined) === (file === undefined))
    throw new UsageError('give the password with --password or --password-file (one of them)');
  if (p !== undefined) return p;
  try {
    return readFileSync(file as string, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`cannot read --password-file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function withBackend<T>(values: Values, fn: (b: UserBackend) => Promise<T>): Promise<T> {
  const dir = str(values, 'data-dir');
  if (dir !== undefined && (str(values, 'bootstrap') !== undefined || str(values, 'properties') !== undefined)) {
    throw new UsageError("--data-dir works on a stopped broker's files; it does not go with --bootstrap or --properties");
  }
  const backend = dir !== undefined ? dirBackend(dir) : await wireBackend(kafkaTarget(values));
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

const subcommands: Record<string, Subcommand> = {
  add: {
    usage: 'brook users add NAME (--password PW | --password-file FILE) [--mechanism SCRAM-SHA-256,SCRAM-SHA-512] [--iterations N]',
    summary: 'Create a SCRAM user or change its password (salted and hashed here; the password never leaves this process).',
    example: 'brook users add alice --password-file alice.pw --bootstrap 127.0.0.1:9092',
    async run(args, values, io) {
      const [user] = need(args, 1, 'the user name', this.usage) as [string];
      const pw = password(values);
      const iterations = int(values, 'iterations', MIN_ITERATIONS, MAX_ITERATIONS) ?? DEFAULT_ITERATIONS;
      const upserts: Parameters<UserBackend['alter']>[0] = [];
      for (const mechanism of mechanisms(values)) {
        const salt = randomBytes(32);
        upserts.push({ user, mechanism, iterations, salt, salted: await saltPassword(mechanism, pw, salt, iterations) });
      }
      await withBackend(values, (b) => b.alter(upserts, []));
      io.out(`user ${user}: ${upserts.map((u) => u.mechanism).join(', ')} (${iterations} iterations)\n`);
      return 0;
    },
  },
  list: {
    usage: 'brook users list [NAME...] [--json]',
    summary: 'List SCRAM users with their mechanisms and iteration counts (never salts or keys).',
    example: 'brook users list --bootstrap 127.0.0.1:9092',
    async run(args, values, io) {
      const users = await withBackend(values, (b) => b.describe(args.length > 0 ? args : null));
      if (values.json) {
        io.out(`${JSON.stringify(users, null, 2)}\n`);
        return 0;
      }
      if (users.length === 0) {
        io.out('(no SCRAM users)\n');
        return 0;
      }
      io.out(
        renderTable(
          ['USER', 'MECHANISM', 'ITERATIONS'],
          users.flatMap((u) => u.credentials.map((c) => [u.user, c.mechanism, c.iterations])),
          io.columns,
        ),
      );
      return 0;
    },
  },
  remove: {
    usage: 'brook users remove NAME [--mechanism SCRAM-SHA-256,SCRAM-SHA-512]',
    summary: "Delete a user's SCRAM credentials (by default every mechanism it has).",
    example: 'brook users remove alice --bootstrap 127.0.0.1:9092',
    async run(args, values, io) {
      const [user] = need(args, 1, 'the user name', this.usage) as [string];
      const removed = await withBackend(values, async (b) => {
        const has = (await b.describe([user]))[0]?.credentials.map((c) => c.mechanism) ?? [];
        const which = str(values, 'mechanism') === undefined ? has : mechanisms(values);
        const missing = which.filter((m) => !has.includes(m));
        if (missing.length > 0) throw new BrookError('USERS', `user ${user} has no ${missing.join(', ')} credential`);
        await b.alter(
          [],
          which.map((mechanism) => ({ user, mechanism })),
        );
        return which;
      });
      io.out(`user ${user}: removed ${removed.join(', ')}\n`);
      return 0;
    },
  },
};

export function createUsersCommand(io?: OpsIo): Command {
  return commandWithSubcommands(
    {
      name: 'users',
      summary: "Add, list and remove SCRAM users (SCRAM-SHA-256/512, also used by PLAIN) on a broker or a stopped broker's data directory.",
      subcommands,
      options: {
        ...CONNECTION_OPTIONS,
        'data-dir': { type: 'string', valueName: 'DIR', description: "A stopped Brook broker's data directory, instead of --bootstrap" },
        password: {
          type: 'string',
          valueName: 'PW',
          description: 'The password (add); visible to other local users in the process list: prefer --password-file',
        },
        'password-file': { type: 'string', valueName: 'FILE', description: 'A file holding the password (add)' },
        mechanism: {
          type: 'string',
          valueName: 'LIST',
          description: 'SCRAM-SHA-256 and/or SCRAM-SHA-512 (default: both for add, all for remove)',
        },
        iterations: {
          type: 'string',
          valueName: 'N',
          description: `PBKDF2 iterations, ${MIN_ITERATIONS}-${MAX_ITERATIONS} (default ${DEFAULT_ITERATIONS})`,
        },
      },
    },
    io,
  );
}

export const usersCommand: Command = createUsersCommand();
