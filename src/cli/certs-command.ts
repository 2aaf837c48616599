// `brook certs ca init|issue|server|list`: Brook's private CA, in place of a cloud private CA and
// the tool that fetched client certificates from it. Each subcommand has its own --help; the work
// itself is done by src/certs/, which `brook up --secure` calls too.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { certsDirOf, DEFAULT_CA_VALIDITY_DAYS, initCa, loadCa, MAX_VALIDITY_DAYS } from '../certs/ca.ts';
import { DEFAULT_VALIDITY_DAYS, type IssuedCertificate, issueCertificate, serverSans } from '../certs/issue.ts';
import { DEFAULT_KEY_TYPE, KEY_TYPES, type KeyType, parseKeyType } from '../certs/key-types.ts';
import { EXPIRY_WARNING_DAYS, type ListedCertificate, listCertificates } from '../certs/list.ts';
import { type SavedFiles, saveIssued } from '../certs/save.ts';
import { ConfigError } from '../config/errors.ts';
import { loadConfig } from '../config/load.ts';
import { gatherRepeated, int, repeated, str, type Values } from '../ops/args.ts';
import type { OpsIo } from '../ops/io.ts';
import { ioGetter } from '../ops/subcommands.ts';
import { renderTable } from '../ops/table.ts';
import { type Command, type OptionSpec, renderHelp, UsageError } from './command.ts';

const OPTIONS: Record<string, OptionSpec> = {
  dir: { type: 'string', valueName: 'DIR', description: 'The CA directory (default: <data-dir>/certs)' },
  'data-dir': { type: 'string', valueName: 'DIR', description: "Brook's data directory (default: the configured one, ./.brook)" },
  subject: {
    type: 'string',
    valueName: 'DN',
    description: 'Distinguished name, most specific first: "CN=alice,OU=eng,O=Example" (or OpenSSL\'s /O=Example/CN=alice)',
  },
  cn: { type: 'string', valueName: 'NAME', description: 'Common name; the subject is then CN=NAME' },
  san: {
    type: 'string',
    valueName: 'SAN',
    description: 'Subject alternative name DNS:host, IP:addr, email:a@b or URI:u (repeatable, or comma-separated)',
  },
  host: {
    type: 'string',
    valueName: 'HOST',
    description: 'A further host name or address the server is reached by (repeatable, or comma-separated)',
  },
  csr: {
    type: 'string',
    valueName: 'FILE',
    description: 'Sign this PKCS#10 request (PEM or DER) instead of making a key: its subject and SANs are kept',
  },
  'validity-days': { type: 'string', valueName: 'N', description: 'Days the certificate is valid' },
  'key-type': { type: 'string', valueName: 'TYPE', description: `${KEY_TYPES.join(', ')} (default ${DEFAULT_KEY_TYPE})` },
  out: { type: 'string', valueName: 'DIR', description: 'Where the PEM files go (default: the CA directory)' },
  name: {
    type: 'string',
    valueName: 'NAME',
    description: 'Base of the file names: NAME.pem, NAME-chain.pem, NAME.key (default: from the CN)',
  },
  keystore: {
    type: 'string',
    valueName: 'FILE',
    description: 'Also write a PKCS#12 keystore with the key and the chain (for Java clients)',
  },
  password: {
    type: 'string',
    valueName: 'PW',
    description: "The keystore's password; visible to other local users in the process list: prefer --password-file",
  },
  'password-file': { type: 'string', valueName: 'FILE', description: "A file holding the keystore's password" },
  alias: { type: 'string', valueName: 'ALIAS', description: 'Name of the keystore entry (default: the file name base)' },
  force: { type: 'boolean', description: 'Replace what exists (a CA: everything it issued must be issued again)' },
  json: { type: 'boolean', description: 'JSON output for scripts' },
};

const WHERE = ['dir', 'data-dir'];
const KEYSTORE = ['keystore', 'password', 'password-file', 'alias'];
const OUTPUT = ['out', 'name', 'force'];

interface Sub {
  usage: string;
  summary: string;
  example: string;
  options: string[];
  run(args: string[], values: Values, io: OpsIo): Promise<number>;
}

/** The CA directory: --dir, else <--data-dir or the configured data directory>/certs. */
function caDir(values: Values): string {
  const dir = str(values, 'dir');
  if (dir !== undefined) return resolve(dir);
  let dataDir = str(values, 'data-dir');
  if (dataDir === undefined) {
    try {
      dataDir = loadConfig().config.dataDir;
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(`${e.message}\n(or give the CA directory with --dir or --data-dir)`);
      throw e;
    }
  }
  return certsDirOf(dataDir);
}

function keyType(values: Values): KeyType | undefined {
  const raw = str(values, 'key-type');
  if (raw === undefined) return undefined;
  try {
    return parseKeyType(raw);
  } catch (e) {
    throw new UsageError(`--key-type: ${(e as Error).message}`);
  }
}

function readPassword(values: Values): string | undefined {
  const p = str(values, 'password');
  const file = str(values, 'password-file');
  if (p !== undefined && file !== undefined)
    throw new UsageError('give the keystore password with --password or --password-file, not both');
  if (file === undefined) return p;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`cannot read --password-file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function keystoreOption(values: Values): { file: string; password: string; alias?: string } | undefined {
  const file = str(values, 'keystore');
  const password = readPassword(values);
  const alias = str(values, 'alias');
  if (file === undefined) {
    if (password !== undefined || alias !== undefined)
      throw new UsageError('--password and --alias are for the keystore: add --keystore FILE');
    return undefined;
  }
  if (password === undefined || password === '') {
    throw new UsageError(
      '--keystore needs a password (--password PW or --password-file FILE): Java and librdkafka refuse keystores without one',
    );
  }
  return { file, password, ...(alias !== undefined ? { alias } : {}) };
}

const day = (iso: string | Date) => (typeof iso === 'string' ? iso : iso.toISOString()).slice(0, 10);

function printIssued(io: OpsIo, caFile: string, issued: IssuedCertificate, files: SavedFiles, alias: string | undefined): void {
  const rows: [string, string][] = [
    ['certificate', files.cert],
    ['chain', `${files.chain} (certificate + CA)`],
  ];
  if (files.key) rows.push(['key', `${files.key} (0600)`]);
  if (files.keystore) rows.push(['keystore', `${files.keystore} (PKCS#12, alias ${alias})`]);
  rows.push(['CA', caFile]);
  const kind = issued.profile === 'server' ? 'server' : 'client';
  io.out(
    `issued ${kind} certificate ${issued.subjectDn} (${issued.keyType}, serial ${issued.serial}), valid until ${day(issued.notAfter)}\n` +
      (issued.sans.length > 0 ? `  SANs         ${issued.sans.join(', ')}\n` : '') +
      rows.map(([k, v]) => `  ${k.padEnd(12)} ${v}\n`).join(''),
  );
  if (kind === 'client') {
    const key = files.key ?? '<your key>';
    io.out(
      `librdkafka/kcat: -X security.protocol=SSL -X ssl.ca.location=${caFile} -X ssl.certificate.location=${files.cert} -X ssl.key.location=${key}\n`,
    );
    if (files.keystore) {
      io.out(`Java clients:    ssl.keystore.type=PKCS12 ssl.keystore.location=${files.keystore} ssl.keystore.password=...\n`);
    }
    io.out(`ACLs see it as:  User:${issued.subjectDn} (with the default ssl.principal.mapping.rules)\n`);
  } else {
    io.out(
      `brook broker --listener SSL://0.0.0.0:9093 --tls-cert ${files.chain} --tls-key ${files.key ?? '<your key>'} --tls-ca ${caFile} --ssl-client-auth required\n`,
    );
  }
}

async function issueAndSave(values: Values, io: OpsIo, profile: 'client' | 'server', sans: string[], cn?: string): Promise<number> {
  // Every flag is checked before the CA is touched, so a typo costs nothing.
  const csrFile = str(values, 'csr');
  let csr: Buffer | undefined;
  if (csrFile !== undefined) {
    try {
      csr = readFileSync(csrFile);
    } catch (e) {
      throw new UsageError(`cannot read --csr '${csrFile}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const subject = str(values, 'subject');
  const kt = keyType(values);
  const days = int(values, 'validity-days', 1, MAX_VALIDITY_DAYS);
  const keystore = keystoreOption(values);
  const out = str(values, 'out');
  const name = str(values, 'name');

  const ca = await loadCa(caDir(values));
  const issued = await issueCertificate(ca, {
    profile,
    ...(cn !== undefined ? { cn } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(csr !== undefined ? { csr, csrSource: csrFile as string } : {}),
    sans,
    ...(kt !== undefined ? { keyType: kt } : {}),
    ...(days !== undefined ? { validityDays: days } : {}),
  });
  const files = await saveIssued(ca, issued, {
    ...(out !== undefined ? { outDir: out } : {}),
    ...(name !== undefined ? { name } : {}),
    force: values.force === true,
    ...(keystore ? { keystore } : {}),
  });
  const alias = keystore ? (keystore.alias ?? basename(files.cert, '.pem')) : undefined;
  printIssued(io, ca.certFile, issued, files, alias);
  return 0;
}

function statusText(c: ListedCertificate): string {
  if (c.status === 'missing') return c.kind === 'ca' ? 'KEY MISSING' : 'FILE MISSING';
  if (c.status === 'expired') return `EXPIRED ${-c.daysLeft} d ago`;
  if (c.status === 'expiring') return `expires in ${c.daysLeft} d`;
  return `valid (${c.daysLeft} d)`;
}

const SUBCOMMANDS: Record<string, Sub> = {
  'ca init': {
    usage: 'brook certs ca init [--dir DIR | --data-dir DIR] [--subject DN] [--validity-days N] [--key-type TYPE] [--force]',
    summary:
      `Create the private CA: ca.key (0600) and ca.pem in a 0700 directory, and index.json of what it issues. ` +
      `Valid ${DEFAULT_CA_VALIDITY_DAYS} days unless --validity-days says otherwise. An existing CA is kept unless --force.`,
    example: 'brook certs ca init --subject "CN=Example Kafka CA,O=Example" --validity-days 1825',
    options: [...WHERE, 'subject', 'validity-days', 'key-type', 'force'],
    async run(_args, values, io) {
      const subject = str(values, 'subject');
      const kt = keyType(values);
      const days = int(values, 'validity-days', 1, MAX_VALIDITY_DAYS);
      const ca = await initCa(caDir(values), {
        ...(subject !== undefined ? { subject } : {}),
        ...(kt !== undefined ? { keyType: kt } : {}),
        ...(days !== undefined ? { validityDays: days } : {}),
        force: values.force === true,
      });
      io.out(
        `created CA ${ca.subjectDn} (${ca.keyType}, serial ${ca.serial}), valid until ${day(ca.notAfter)}\n` +
          `  certificate  ${ca.certFile} (give it to clients and brokers as the trusted CA)\n` +
          `  key          ${ca.keyFile} (0600; keep it private, back it up)\n` +
          "next: 'brook certs server' for the broker, 'brook certs issue --cn NAME' for each client\n",
      );
      return 0;
    },
  },
  issue: {
    usage:
      'brook certs issue (--cn NAME | --subject DN | --csr FILE) [--san SAN ...] [--validity-days N] [--key-type TYPE] ' +
      '[--out DIR] [--name NAME] [--keystore FILE (--password PW | --password-file FILE) [--alias ALIAS]] [--force]',
    summary:
      'Issue a client certificate (extendedKeyUsage clientAuth) for a new key made here, or for the key of a CSR. ' +
      `Writes NAME.pem, NAME-chain.pem and NAME.key (0600), and with --keystore a PKCS#12 keystore. Valid ${DEFAULT_VALIDITY_DAYS} days by default.`,
    example: 'brook certs issue --subject "CN=alice,OU=analytics,O=Example" --keystore alice.p12 --password-file pw.txt --alias alice',
    options: [...WHERE, 'cn', 'subject', 'csr', 'san', 'validity-days', 'key-type', ...OUTPUT, ...KEYSTORE],
    run: (_args, values, io) => issueAndSave(values, io, 'client', repeated(values, 'san'), str(values, 'cn')),
  },
  server: {
    usage:
      'brook certs server [--host HOST ...] [--cn NAME] [--san SAN ...] [--validity-days N] [--key-type TYPE] [--out DIR] [--name NAME] ' +
      '[--keystore FILE (--password PW | --password-file FILE) [--alias ALIAS]] [--force]',
    summary:
      "The certificate of Brook's broker, registry and dashboard (serverAuth and clientAuth), for localhost, 127.0.0.1, ::1, " +
      "this machine's host name and every --host. Written as server.pem, server-chain.pem and server.key unless --name.",
    example: 'brook certs server --host broker.example.com --host 10.0.0.5',
    options: [...WHERE, 'host', 'cn', 'san', 'validity-days', 'key-type', ...OUTPUT, ...KEYSTORE],
    async run(_args, values, io) {
      const sans = serverSans(
        [...repeated(values, 'host'), ...repeated(values, 'san')].flatMap((h) => h.split(',')).filter((h) => h.trim()),
      );
      return issueAndSave(values, io, 'server', sans, str(values, 'cn') ?? 'brook-server');
    },
  },
  list: {
    usage: 'brook certs list [--dir DIR | --data-dir DIR] [--json]',
    summary: `The CA and every certificate it issued: subject, serial, SANs, expiry (flagged when under ${EXPIRY_WARNING_DAYS} days or past), files.`,
    example: 'brook certs list --data-dir ./.brook',
    options: [...WHERE, 'json'],
    async run(_args, values, io) {
      const listing = listCertificates(caDir(values));
      if (values.json) {
        io.out(`${JSON.stringify(listing, null, 2)}\n`);
        return 0;
      }
      const all = [listing.ca, ...listing.issued];
      io.out(`CA directory ${listing.dir}\n`);
      io.out(
        renderTable(
          ['KIND', 'SUBJECT', 'SERIAL', 'NOT AFTER', 'STATUS', 'SANS', 'FILE'],
          all.map((c) => [c.kind, c.subject, c.serial, day(c.notAfter), statusText(c), c.sans.join(',') || '-', c.files.cert ?? '-']),
          io.columns,
        ),
      );
      const expired = all.filter((c) => c.status === 'expired').length;
      const expiring = all.filter((c) => c.status === 'expiring').length;
      if (expired + expiring > 0) {
        io.out(
          `${expired} expired, ${expiring} expiring within ${EXPIRY_WARNING_DAYS} days: issue them again with the same command and --force` +
            `${listing.ca.status === 'expired' || listing.ca.status === 'expiring' ? '; the CA itself: brook certs ca init --force, then every certificate again' : ''}\n`,
        );
      }
      if (listing.issued.length === 0) io.out("(nothing issued yet: 'brook certs server', 'brook certs issue --cn NAME')\n");
      return 0;
    },
  },
};

function subHelp(key: string): string {
  const sub = SUBCOMMANDS[key] as Sub;
  const options = Object.fromEntries(sub.options.map((o) => [o, OPTIONS[o] as OptionSpec]));
  const help = renderHelp({ name: `certs ${key}`, summary: sub.summary, usage: sub.usage, options, run: async () => 0 });
  return `${help}\nExample:\n  ${sub.example}\n`;
}

/** The subcommand a command line names (`ca init`, `issue`, ...), from its leading words. */
function subcommandOf(words: string[]): string | undefined {
  if (words[0] === 'ca') return words[1] === undefined ? 'ca' : `ca ${words[1]}`;
  return words[0];
}

/** Help for `ca` alone is help for its one subcommand. */
function helpKey(words: string[]): string | undefined {
  const key = subcommandOf(words);
  return key === 'ca' ? 'ca init' : key;
}

const gather = gatherRepeated({ san: undefined, host: undefined });

function rewriteArgs(argv: string[]): string[] {
  const args = gather(argv);
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  if (!flags.includes('--help') && !flags.includes('-h')) return args;
  // `brook certs issue --help` shows that subcommand's help, not the whole command's.
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const key = helpKey(words);
  return key !== undefined && Object.hasOwn(SUBCOMMANDS, key) ? ['help', ...key.split(' ')] : args;
}

export function createCertsCommand(io?: OpsIo): Command {
  const getIo = ioGetter(io);
  const names = Object.keys(SUBCOMMANDS);
  const usage = [
    'brook certs <subcommand> [options]',
    '',
    'Subcommands:',
    ...Object.values(SUBCOMMANDS).flatMap((s) => [`  ${s.usage}`, `      ${s.summary}`, `      e.g. ${s.example}`]),
    '',
    "Run 'brook certs <subcommand> --help' for one subcommand's options.",
  ].join('\n');
  return {
    name: 'certs',
    summary: 'A private CA: create it, issue client and server certificates (PEM and PKCS#12), list them and their expiry.',
    usage,
    options: OPTIONS,
    rewriteArgs,
    async run(values, positionals) {
      const [first, ...rest] = positionals;
      if (first === undefined) throw new UsageError(`which subcommand? one of ${names.join(', ')}\nUsage: ${usage}`);
      if (first === 'help') {
        const key = helpKey(rest);
        if (key === undefined) getIo().out(`${usage}\n`);
        else if (Object.hasOwn(SUBCOMMANDS, key)) getIo().out(subHelp(key));
        else throw new UsageError(`unknown subcommand '${rest.join(' ')}'; one of ${names.join(', ')}`);
        return 0;
      }
      const key = subcommandOf(positionals);
      if (key === 'ca') throw new UsageError("which CA subcommand? 'brook certs ca init' creates the CA");
      const sub = key !== undefined && Object.hasOwn(SUBCOMMANDS, key) ? SUBCOMMANDS[key] : undefined;
      if (key === undefined || !sub) throw new UsageError(`unknown subcommand '${key}'; one of ${names.join(', ')}`);
      const extra = positionals.slice(key.split(' ').length);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'\nUsage: ${sub.usage}`);
      for (const [name, v] of Object.entries(values)) {
        if (name !== 'help' && v !== undefined && v !== false && !sub.options.includes(name)) {
          throw new UsageError(`--${name} does not apply to 'brook certs ${key}'; see 'brook certs ${key} --help'`);
        }
      }
      return sub.run(extra, values, getIo());
    },
  };
}

export const certsCommand: Command = createCertsCommand();
