// `brook up --secure`: what each part is given. The broker gets one SSL listener that requires a
// client certificate from Brook's CA, the ACL authorizer, and the operator as the only super
// user; the registry and dashboard serve HTTPS and let in only the users of <data-dir>/web-users.json;
// every part connects with its own certificate, so its ACLs and registry role are its own.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartBrokerOptions } from '../broker/server.ts';
import type { BrookConfig } from '../config/types.ts';
import type { KafkaConnection } from '../generator/properties.ts';
import { AclStore } from '../security/acl-store.ts';
import { writeFileAtomic } from '../security/atomic-file.ts';
import type { HttpClientTls } from '../security/http-client.ts';
import type { WebTls } from '../security/http-server.ts';
import { hashPassword, WEB_USERS_FILE, type WebUser, writeWebUsers } from '../security/http-users.ts';
import { ADMIN_NAME, PRINCIPAL_MAPPING_RULES, principalOf, type SecurePart, secureAcls, subjectOf } from './secure-acls.ts';
import { ensureSecurePki, type IdentityFiles, type SecurePki } from './secure-pki.ts';

export type Identity = SecurePart | typeof ADMIN_NAME;

export interface SecureSetup {
  pki: SecurePki;
  /** The operator's web password, kept in this 0600 file. */
  adminPasswordFile: string;
  usersFile: string;
  broker: Pick<StartBrokerOptions, 'listeners' | 'principalMappingRules' | 'superUsers' | 'authorizer'>;
  /** TLS of the registry's and the dashboard's HTTPS servers. */
  webTls: WebTls;
  /** A Kafka connection as one identity. */
  kafka(identity: Identity, bootstrap: string[]): KafkaConnection;
  /** How one identity calls the registry: trust the CA, present its certificate. */
  registryTls(identity: Identity): HttpClientTls;
  /** The kcat command that lists the cluster as the operator, over mTLS. */
  kcatCommand(bootstrap: string[]): string;
  /** Writes <certs>/admin.properties (Kafka client properties of the operator) for the operator CLI; returns its path. */
  writeAdminProperties(bootstrap: string[]): string;
}

const read = (f: string) => readFileSync(f);

// Which identities may change the registry: the generator registers the schema it writes.
const WEB_ROLES: Record<Identity, WebUser['role']> = {
  generator: 'admin',
  processor: 'read-only',
  dashboard: 'read-only',
  registry: 'read-only',
  admin: 'admin',
};

/** The operator's password: made once, kept 0600 beside the certificates. */
function adminPassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileAtomic(file, `${password}\n`, 0o600);
  return password;
}

export async function prepareSecure(config: BrookConfig, dataDir: string): Promise<SecureSetup> {
  const pki = await ensureSecurePki(dataDir, config.broker.host === '0.0.0.0' ? {} : { hosts: [config.broker.host] });
  // ACLs are kept with the broker's log; adding is idempotent, so every start re-asserts them.
  mkdirSync(join(dataDir, 'broker'), { recursive: true });
  new AclStore(join(dataDir, 'broker')).add(secureAcls(config));

  const adminPasswordFile = join(pki.dir, 'admin.password');
  const password = adminPassword(adminPasswordFile);
  const usersFile = join(dataDir, WEB_USERS_FILE);
  const users: WebUser[] = [];
  for (const [name, role] of Object.entries(WEB_ROLES) as [Identity, WebUser['role']][]) {
    users.push({ name, role, certSubject: subjectOf(name), ...(name === ADMIN_NAME ? { password: await hashPassword(password) } : {}) });
  }
  writeWebUsers(usersFile, users);

  const files = (id: Identity): IdentityFiles => pki.clients[id];
  const ca = read(pki.caFile);
  return {
    pki,
    adminPasswordFile,
    usersFile,
    broker: {
      listeners: [
        {
          name: 'SSL',
          securityProtocol: 'SSL',
          host: config.broker.host,
          port: config.broker.port,
          tls: { cert: read(pki.server.chain), key: read(pki.server.key), ca, clientAuth: 'required' },
        },
      ],
      principalMappingRules: PRINCIPAL_MAPPING_RULES,
      superUsers: [principalOf(ADMIN_NAME)],
      authorizer: true,
    },
    webTls: { cert: read(pki.server.chain), key: read(pki.server.key), ca, clientAuth: 'requested' },
    kafka: (id, bootstrap) => ({ bootstrap, tls: { ca, cert: read(files(id).chain), key: read(files(id).key) } }),
    registryTls: (id) => ({ ca, cert: read(files(id).chain), key: read(files(id).key) }),
    writeAdminProperties: (bootstrap) => {
      const a = files(ADMIN_NAME);
      const file = join(pki.dir, 'admin.properties');
      const lines = [
        '# The operator (User:admin) on `brook up --secure`: npx brook topics list --properties <this file>',
        `bootstrap.servers=${bootstrap.join(',')}`,
        'security.protocol=SSL',
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${pki.caFile}`,
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${a.chain}`,
        `ssl.key.location=${a.key}`,
      ];
      writeFileAtomic(file, `${lines.join('\n')}\n`, 0o600);
      return file;
    },
    kcatCommand: (bootstrap) => {
      const a = files(ADMIN_NAME);
      return `kcat -b ${bootstrap.join(',')} -X security.protocol=SSL -X ssl.ca.location=${pki.caFile} -X ssl.certificate.location=${a.chain} -X ssl.key.location=${a.key} -L`;
    },
  };
}
