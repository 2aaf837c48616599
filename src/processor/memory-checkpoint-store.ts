// Checkpoint stores in memory, single and keyed: for tests and for runs that need no restart.
import type { CheckpointStore, KeyedCheckpointStore } from './types.ts';

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

export class MemoryKeyedCheckpointStore implements KeyedCheckpointStore {
  readonly description = 'memory';
  /** Every save, in order: tests look at what was written when. */
  readonly saved: Array<{ key: string; id: number; bytes: Uint8Array }> = [];

  async scan(): Promise<Map<string, Uint8Array>> {
    const latest = new Map<string, Uint8Array>();
    for (const s of this.saved) latest.set(s.key, s.bytes);
    return latest;
  }

  async load(key: string): Promise<Uint8Array | undefined> {
    return this.saved.findLast((s) => s.key === key)?.bytes;
  }

  async save(key: string, id: number, bytes: Uint8Array): Promise<void> {
    this.saved.push({ key, id, bytes: Uint8Array.from(bytes) });
  }

  async close(): Promise<void> {}
}
