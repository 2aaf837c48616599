// A checkpoint store in memory: for tests and for runs that need no restart.
import type { CheckpointStore } from './types.ts';

export class MemoryCheckpointStore implements CheckpointStore {
  readonly description = 'memory';
  readonly saved: Array<{ id: number; bytes: Uint8Array }> = [];

  async load(): Promise<Uint8Array | undefined> {
    return this.saved.at(-1)?.bytes;
  }

  async save(id: number, bytes: Uint8Array): Promise<void> {
    this.saved.push({ id, bytes: Uint8Array.from(bytes) });
  }

  async close(): Promise<void> {}
}
