// The generator: N workers, each making one session at a time and handing its events to the
// sink. Workers share the user-id blocks, the globalseq counter and the rate limit; every event
// ends up counted as acknowledged or failed.
import type { Clock } from './clock.ts';
import { type Random, seededRandom, unseededRandom, workerSeed } from './random.ts';
import { RateLimiter } from './rate.ts';
import type { ClickEvent } from './schema.ts';
import { GlobalSequence, type SequenceReservation, WorkerSequence } from './sequence.ts';
import { buildSession, UserBlocks } from './session.ts';
import type { OutRecord, Sink } from './sink.ts';

export interface GeneratorOptions {
  workers: number;
  /** Sessions per worker; 0 = until stopped. */
  sessionsPerWorker: number;
  noDelay: boolean;
  seed?: number;
  /** Events per second across all workers. */
  rate?: number;
  /** Timestamps start here and advance by `timeStep` per globalseq, instead of the clock. */
  startTime?: number;
  timeStep?: number;
  /** Last globalseq already used (the bookmark). */
  lastGlobalSeq: number;
  /** Records blocks of sequence numbers before they are used, so a crash never reuses one. */
  reservation?: SequenceReservation;
  encode(event: ClickEvent): Buffer;
  sink: Sink;
  clock: Clock;
  /** Aborting stops making new sessions; what was made is still sent and awaited. */
  signal: AbortSignal;
  /** Sessions a worker may have unacknowledged at once. Default 64. */
  maxInFlightSessions?: number;
  /** Called with each event as it is made (tests, `--json` off logging). */
  onEvent?(event: ClickEvent): void;
  /** Called with the first send error of a kind, so the runner can say what is wrong. */
  onError?(err: unknown): void;
}

export interface GeneratorStats {
  sessions: number;
  produced: number;
  acknowledged: number;
  failed: number;
  /** Last globalseq handed out: the bookmark to save. */
  lastGlobalSeq: number;
}

export class Generator {
  readonly stats: GeneratorStats;
  readonly #opts: GeneratorOptions;
  readonly #seq: GlobalSequence;
  readonly #users = new UserBlocks();
  readonly #rate: RateLimiter | undefined;

  constructor(opts: GeneratorOptions) {
    this.#opts = opts;
    this.#seq = new GlobalSequence(opts.lastGlobalSeq, opts.reservation);
    this.#rate = opts.rate ? new RateLimiter(opts.rate, opts.clock) : undefined;
    this.stats = { sessions: 0, produced: 0, acknowledged: 0, failed: 0, lastGlobalSeq: opts.lastGlobalSeq };
  }

  /** Runs every worker to the end (sessions done or stopped) and waits for every send. */
  async run(): Promise<GeneratorStats> {
    const { workers, seed } = this.#opts;
    const runs: Promise<void>[] = [];
    for (let w = 0; w < workers; w++) {
      runs.push(this.#worker(seed === undefined ? unseededRandom() : seededRandom(workerSeed(seed, w))));
    }
    await Promise.all(runs);
    await this.#opts.sink.flush();
    return this.stats;
  }

  #timestamp(globalseq: number): number {
    const { startTime, timeStep, lastGlobalSeq } = this.#opts;
    return (startTime ?? 0) + (globalseq - lastGlobalSeq - 1) * (timeStep ?? 0);
  }

  async #worker(rng: Random): Promise<void> {
    const o = this.#opts;
    const seq = new WorkerSequence(this.#seq);
    const inFlight = new Set<Promise<void>>();
    const limit = o.maxInFlightSessions ?? 64;
    for (let s = 0; o.sessionsPerWorker === 0 || s < o.sessionsPerWorker; s++) {
      if (o.signal.aborted) break;
      const session = buildSession(this.#users.nextUser(rng), rng);
      if (this.#rate && !(await this.#rate.take(session.events.length, o.signal))) break;
      const key = Buffer.from(String(session.userid), 'utf8');
      const records: OutRecord[] = [];
      // No delay inside a session: one clock read serves all its events.
      const now = o.startTime === undefined ? o.clock.now() : 0;
      for (const step of session.events) {
        const { globalseq, prevglobalseq } = seq.next();
        const timestamp = o.startTime === undefined ? now : this.#timestamp(globalseq);
        const event: ClickEvent = {
          ip: session.ip,
          eventtimestamp: timestamp,
          devicetype: session.devicetype,
          event_type: step.eventType,
          product_type: step.productType,
          userid: session.userid,
          globalseq,
          prevglobalseq,
        };
        o.onEvent?.(event);
        records.push({ key, value: o.encode(event), timestamp });
      }
      this.stats.lastGlobalSeq = this.#seq.last;
      this.stats.produced += records.length;
      this.stats.sessions++;
      const n = records.length;
      const p: Promise<void> = o.sink.send(records).then(
        () => {
          this.stats.acknowledged += n;
        },
        (err: unknown) => {
          this.stats.failed += n;
          o.onError?.(err);
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= limit) await Promise.race(inFlight);
      if (!o.noDelay) await o.clock.sleep(50 + rng.int(500), o.signal);
    }
    await Promise.all(inFlight);
  }
}
