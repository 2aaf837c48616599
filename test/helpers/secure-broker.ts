// A real broker with security listeners for tests: TLS material from test/helpers/pki.ts, SCRAM
// users written straight into its credential store, and the ports of each listener by name.

import type { StartBrokerOptions } from '../../src/broker/server.ts';
import type { ListenerConfig } from '../../src/security/listeners.ts';
import { makeCredential, type ScramMechanism } from '../../src/security/scram.ts';
import { startTempBroker, type TempBroker } from './temp-broker.ts';

export interface SecureTempBroker extends TempBroker {
  /** 127.0.0.1:port of the listener with that name. */
  bootstrapOf(name: string): string;
  portOf(name: string): number;
}

export async function startSecureBroker(
  listeners: ListenerConfig[],
  options: StartBrokerOptions = {},
  dataDir?: string,
): Promise<SecureTempBroker> {
  const tb = await startTempBroker({ ...options, listeners }, dataDir);
  const portOf = (name: string) => {
    const l = tb.broker.listeners.find((x) => x.name === name);
    if (!l) throw new Error(`no listener ${name}`);
    return l.address.port;
  };
  return { ...tb, portOf, bootstrapOf: (name) => `127.0.0.1:${portOf(name)}` };
}

/** Adds a user with credentials for both SCRAM mechanisms (the minimum iterations keep tests fast). */
export async function addUser(
  tb: TempBroker,
  user: string,
  password: string,
  mechanisms: ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
): Promise<void> {
  const upsert = [];
  for (const mechanism of mechanisms) upsert.push({ user, mechanism, credential: await makeCredential(mechanism, password, 4096) });
  tb.broker.credentials.apply({ upsert });
}
