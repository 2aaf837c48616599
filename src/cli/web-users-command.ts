// `brook web-users add|list|remove`: the users of the schema registry and the dashboard (their
// --users-file), each read-only or admin, signing in with a password (kept as a scrypt hash) or a
// client certificate. The servers see a change at their next request; no restart is needed.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrookError } from '../common/errors.ts';
import { need, str, type Values } from '../ops/args.ts';
import type { OpsIo } from '../ops/io.ts';
import { commandWithSubcommands, type Subcommand } from '../ops/subcommands.ts';
import { renderTable } from '../ops/table.ts';
import {
  checkUserName,
  hashPassword,
  readWebUsers,
  WEB_ROLES,
  WEB_USERS_FILE,
  type WebRole,
  type WebUser,
  writeWebUsers,
} from '../security/http-users.ts';
import { subjectDnOf } from '../security/tls.ts';
import { type Command, UsageError } from './command.ts';

const DEFAULT_FILE = join('.brook', WEB_USERS_FILE);

function fileOf(values: Values): string {
  return str(values, 'file') ?? DEFAULT_FILE;
}

/** The users now in the file; none when it does not exist yet (add creates it). */
function current(path: string): WebUser[] {
  return existsSync(path) ? readWebUsers(path) : [];
}

function roleOf(values: Values): WebRole | undefined {
  const role = str(values, 'role');
  if (role === undefined) return undefined;
  if (!(WEB_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be read-only or admin, got '${role}'`);
  return role as WebRole;
}

function passwordOf(values: Values): string | undefined {
  const p = str(values, 'password');
  const file = str(values, 'password-file');
  if (p !== undefined && file !== undefined) throw new UsageError('give the password with --password or --password-file, not both');
  if (p !== undefined) return p;
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`cannot read --password-file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** --cert-subject as given, or the subject of the --cert file, as the servers compare it (RFC 2253). */
function certSubjectOf(values: Values): string | undefined {
  const subject = str(values, 'cert-subject');
  const file = str(values, 'cert');
  if (subject !== undefined && file !== undefined) throw new UsageError('give --cert-subject or --cert, not both');
  if (subject !== undefined) {
    if (!/^[A-Za-z0-9.]+=/.test(subject))
      throw new UsageError(`--cert-subject must be a DN like CN=alice,OU=analytics,O=Brook, got '${subject}'`);
    return subject;
  }
  if (file === undefined) return undefined;
  try {
    return subjectDnOf(new X509Certificate(readFileSync(file)));
  } catch (e) {
    throw new UsageError(
      `cannot read a PEM certificate from --cert '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function signIns(u: WebUser): string {
  return [u.password ? 'password' : null, u.certSubject ? `certificate ${u.certSubject}` : null].filter(Boolean).join(', ');
}

const subcommands: Record<string, Subcommand> = {
  add: {
    usage: 'brook web-users add NAME [--role read-only|admin] [--password PW | --password-file FILE] [--cert FILE | --cert-subject DN]',
    summary:
      'Create a user (default role read-only) or change its role, password or certificate. Passwords are stored as scrypt hashes. ' +
      "A client certificate signs in as the user whose --cert-subject it has, or else whose name is the certificate's CN.",
    example: 'brook web-users add alice --role admin --password-file alice.pw --file .brook/web-users.json',
    async run(args, values, io) {
      const [name] = need(args, 1, 'the user name', this.usage) as [string];
      const bad = checkUserName(name);
      if (bad) throw new UsageError(bad);
      const role = roleOf(values);
      const password = passwordOf(values);
      const certSubject = certSubjectOf(values);
      const path = fileOf(values);
      const users = current(path);
      const old = users.find((u) => u.name === name);
      if (!old && password === undefined && certSubject === undefined) {
        throw new UsageError(`user ${name} needs a way to sign in: --password, --password-file, --cert or --cert-subject`);
      }
      const taken = certSubject === undefined ? undefined : users.find((u) => u.certSubject === certSubject && u.name !== name);
      if (taken) throw new BrookError('WEB_USERS', `certificate subject ${certSubject} already belongs to user ${taken.name}`);
      const next: WebUser = {
        name,
        role: role ?? old?.role ?? 'read-only',
        ...(password !== undefined ? { password: await hashPassword(password) } : old?.password ? { password: old.password } : {}),
        ...((certSubject ?? old?.certSubject) !== undefined ? { certSubject: (certSubject ?? old?.certSubject)! } : {}),
      };
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeWebUsers(path, [...users.filter((u) => u.name !== name), next]);
      io.out(`user ${name} ${old ? 'changed' : 'added'}: ${next.role}, signs in with ${signIns(next)} (${path})\n`);
      return 0;
    },
  },
  list: {
    usage: 'brook web-users list [--json]',
    summary: 'List the users with their role and how they sign in (never the password hashes).',
    example: 'brook web-users list --file .brook/web-users.json',
    async run(_args, values, io) {
      const path = fileOf(values);
      const users = readWebUsers(path)
        .map((u) => ({ name: u.name, role: u.role, password: u.password !== undefined, certSubject: u.certSubject ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name));
      if (values.json) {
        io.out(`${JSON.stringify(users, null, 2)}\n`);
        return 0;
      }
      if (users.length === 0) {
        io.out(`(no users in ${path})\n`);
        return 0;
      }
      io.out(
        renderTable(
          ['USER', 'ROLE', 'PASSWORD', 'CERTIFICATE SUBJECT'],
          users.map((u) => [u.name, u.role, u.password ? 'yes' : 'no', u.certSubject ?? '(none)']),
          io.columns,
        ),
      );
      return 0;
    },
  },
  remove: {
    usage: 'brook web-users remove NAME',
    summary: 'Delete a user: its next request is refused (401), without restarting the servers.',
    example: 'brook web-users remove alice --file .brook/web-users.json',
    async run(args, values, io) {
      const [name] = need(args, 1, 'the user name', this.usage) as [string];
      const path = fileOf(values);
      const users = readWebUsers(path);
      if (!users.some((u) => u.name === name)) throw new BrookError('WEB_USERS', `there is no user ${name} in ${path}`);
      writeWebUsers(
        path,
        users.filter((u) => u.name !== name),
      );
      io.out(`user ${name} removed (${path})\n`);
      return 0;
    },
  },
};

export function createWebUsersCommand(io?: OpsIo): Command {
  return commandWithSubcommands(
    {
      name: 'web-users',
      summary: 'Add, list and remove the users of the schema registry and the dashboard (read-only or admin; password or certificate).',
      subcommands,
      options: {
        file: {
          type: 'string',
          valueName: 'FILE',
          description: `The users file the servers' --users-file names (default ${DEFAULT_FILE})`,
        },
        role: { type: 'string', valueName: 'read-only|admin', description: 'add: the role (default read-only for a new user)' },
        password: {
          type: 'string',
          valueName: 'PW',
          description: 'add: the password; visible to other local users in the process list: prefer --password-file',
        },
        'password-file': { type: 'string', valueName: 'FILE', description: 'add: a file holding the password' },
        cert: { type: 'string', valueName: 'FILE', description: "add: the user's PEM client certificate (its subject is kept)" },
        'cert-subject': { type: 'string', valueName: 'DN', description: "add: the client certificate's subject, e.g. CN=alice,O=Brook" },
        json: { type: 'boolean', description: 'list: print JSON' },
      },
    },
    io,
  );
}

export const webUsersCommand: Command = createWebUsersCommand();
