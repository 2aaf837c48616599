// Starts a real broker on an ephemeral port with a throwaway data directory, for tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Broker, type StartBrokerOptions, startBroker } from '../../src/broker/server.ts';

export interface TempBroker {
  broker: Broker;
  dataDir: string;
  bootstrap: string;
  /** Closes the broker and starts a new one on the same data directory (and port). */
  restart(): Promise<TempBroker>;
  /** Closes the broker and deletes its data. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'brook-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTempBroker(options: StartBrokerOptions = {}, dataDir = tempDir()): Promise<TempBroker> {
  const broker = await startBroker({ port: 0, groupInitialRebalanceDelayMs: 0, ...options, dataDir });
  const bootstrap = `127.0.0.1:${broker.address.port}`;
  return {
    broker,
    dataDir,
    bootstrap,
    async restart() {
      await broker.close();
      return startTempBroker({ ...options, port: broker.address.port }, dataDir);
    },
    async dispose() {
      await broker.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
