// Hand-driving helpers for engine tests: a fake clock and records that look like Kafka's.
import type { Clock, SourceRecord } from '../../src/processor/types.ts';

export class FakeClock implements Clock {
  time: number;
  constructor(start = 1_000_000) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Per-partition offsets so each record gets the next one. */
const offsets = new Map<string, bigint>();

export function rec(partition: number, timestamp: number, value: unknown, topic = 'in'): SourceRecord {
  const k = `${topic}:${partition}`;
  const offset = offsets.get(k) ?? 0n;
  offsets.set(k, offset + 1n);
  return { topic, partition, offset, timestamp, key: null, value: Buffer.from(JSON.stringify(value)) };
}

export const jsonSource = {
  deserialize: (r: SourceRecord) => JSON.parse((r.value as Buffer).toString()) as never,
};
