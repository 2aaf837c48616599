// A broker, a schema registry on it and a scratch directory for one test suite: registers the
// before/after hooks that start and dispose of them, and hands back a holder filled in before().
import { rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { type Registry, startRegistry } from '../../src/registry/server.ts';
import { startTempBroker, type TempBroker, tempDir } from './temp-broker.ts';

export interface TempStack {
  tb: TempBroker;
  registry: Registry;
  dir: string;
}

export function withBrokerAndRegistry(prefix: string): TempStack {
  const stack = { dir: tempDir(prefix) } as TempStack;
  before(async () => {
    stack.tb = await startTempBroker();
    stack.registry = await startRegistry({ port: 0, bootstrap: stack.tb.bootstrap });
  });
  after(async () => {
    await stack.registry.close();
    await stack.tb.dispose();
    rmSync(stack.dir, { recursive: true, force: true });
  });
  return stack;
}
