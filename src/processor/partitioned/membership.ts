// Which partitions this instance owns: the input partitions whose pipelines it runs, and the
// exchange partition, whose owner runs the combiner. KafkaGroupMembership (../kafka/) gets them
// from a consumer group; StaticMembership is told them (one instance alone, tests, handovers by hand).
import type { TopicPartition } from '../types.ts';
import { Wakeup } from '../wakeup.ts';

export interface Membership {
  /** Starts taking part; assignments arrive later through take(). */
  start(): Promise<void>;
  /** The newest assignment if it changed since the last call, else undefined. Throws if membership failed. */
  take(): TopicPartition[] | undefined;
  /** Resolves when an assignment arrives, the signal aborts or `ms` pass. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  /** Commits next offsets per `topic:partition` so lag tools see progress; may skip during a rebalance. */
  commit(offsets: Map<string, bigint>): Promise<void>;
  /** Stops taking part: what this instance owned goes to the others. */
  leave(): Promise<void>;
  close(): Promise<void>;
}

export class StaticMembership implements Membership {
  readonly committed = new Map<string, bigint>();
  #pending: TopicPartition[] | undefined;
  readonly #wakeup = new Wakeup();

  constructor(partitions: TopicPartition[]) {
    this.#pending = partitions;
  }

  /** A new assignment, as a rebalance would bring it. */
  assign(partitions: TopicPartition[]): void {
    this.#pending = partitions;
    this.#wakeup.wake();
  }

  async start(): Promise<void> {}

  take(): TopicPartition[] | undefined {
    const next = this.#pending;
    this.#pending = undefined;
    return next;
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#pending !== undefined || signal?.aborted) return Promise.resolve();
    return this.#wakeup.sleep(ms, signal);
  }

  async commit(offsets: Map<string, bigint>): Promise<void> {
    for (const [k, v] of offsets) this.committed.set(k, v);
  }

  async leave(): Promise<void> {}

  async close(): Promise<void> {}
}
