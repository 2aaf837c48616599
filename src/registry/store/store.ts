// The registry store: writes append a command to the `_schemas` log and read the log back until the
// command has been applied, then answer with its outcome; reads first catch up with the log's end,
// so any number of instances on one log serve the same answers (read-your-writes across instances).
import { randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import type { CompatibilityLevel } from '../compatibility/levels.ts';
import { applyRecord } from './apply.ts';
import type { ConfigResult, ModeResult } from './apply-confluent.ts';
import { commitRegister, planRegister, type RegisterResult } from './apply-register.ts';
import { type CommandBody, decodeRecord, encodeCommand, encodeKey, type Mode, type RegisterCommand } from './commands.ts';
import { RegistryError } from './errors.ts';
import { GlueReads } from './glue-reads.ts';
import { type CommandLog, openKafkaLog } from './kafka-log.ts';
import { type StateSnapshot, snapshotState } from './snapshot.ts';
import { createState, type Outcome, type RegistryState } from './state.ts';

const events = channel('brook:registry:store');

export interface SchemaStoreOptions {
  /** Kafka bootstrap servers, `host:port`. */
  bootstrap: string | string[];
  /** Default `_schemas`. */
  topic?: string;
  /** Replication factor of the topic when the store creates it (default 1; 3 on Kafka/MSK). */
  replicationFactor?: number;
  /** Prefix of the Kafka client ids (default `brook-registry`). */
  clientId?: string;
  /** How long a write may wait for the log before answering 50002 (default 10 s). */
  writeTimeoutMs?: number;
  /** How long a read may wait to catch up before answering 50002 (default 10 s). */
  readTimeoutMs?: number;
  /**
   * Reads skip catching up when the last catch-up started less than this long ago (default 0:
   * every read sees every write acknowledged before it arrived, on any instance).
   */
  staleReadMs?: number;
  /** Largest command record, bytes (keep under the topic's max.message.bytes; default 1,000,000). */
  maxCommandBytes?: number;
  /** Another log (tests, or a non-Kafka backend); bootstrap and topic are then only labels. */
  log?: CommandLog;
  /** Extra @platformatic/kafka client options (TLS, SASL). */
  kafkaClient?: Record<string, unknown>;
}

/** A registration as callers give it; schemaType defaults to AVRO, references to none. */
export interface RegisterInput {
  schema: string;
  schemaType?: string;
  references?: unknown[];
  /** Store the normalized form rather than the text given (Confluent's normalize=true). */
  normalize?: boolean;
  /** IMPORT mode only. */
  id?: number;
  /** IMPORT mode only. */
  version?: number;
}

export class SchemaStore extends GlueReads {
  readonly topic: string;
  readonly bootstrap: string[];
  readonly #log: CommandLog;
  readonly #writeTimeoutMs: number;
  readonly #readTimeoutMs: number;
  readonly #staleReadMs: number;
  readonly #maxCommandBytes: number;
  /** Outcomes this instance waits for, by requestId. */
  readonly #pending = new Map<string, Outcome | null>();
  #inflight: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #lastSyncStart = Number.NEGATIVE_INFINITY;
  #closed = false;

  private constructor(log: CommandLog, options: SchemaStoreOptions, state: RegistryState) {
    super(state);
    this.#log = log;
    this.topic = options.topic ?? '_schemas';
    this.bootstrap = typeof options.bootstrap === 'string' ? options.bootstrap.split(',').map((s) => s.trim()) : options.bootstrap;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.#readTimeoutMs = options.readTimeoutMs ?? 10_000;
    this.#staleReadMs = options.staleReadMs ?? 0;
    this.#maxCommandBytes = options.maxCommandBytes ?? 1_000_000;
  }

  /** Connects, creates the topic if missing, and replays it: the store is ready when this resolves. */
  static async open(options: SchemaStoreOptions): Promise<SchemaStore> {
    const topic = options.topic ?? '_schemas';
    const bootstrap = typeof options.bootstrap === 'string' ? options.bootstrap.split(',').map((s) => s.trim()) : options.bootstrap;
    let log = options.log;
    if (!log) {
      try {
        log = await openKafkaLog({
          bootstrap,
          topic,
          replicationFactor: options.replicationFactor ?? 1,
          clientId: options.clientId ?? 'brook-registry',
          ...(options.kafkaClient ? { client: options.kafkaClient } : {}),
        });
      } catch (err) {
        if (err instanceof RegistryError || (err as { code?: string }).code === 'REGISTRY_TOPIC') throw err;
        throw storeError(`cannot open the ${topic} topic at ${bootstrap.join(',')}`, err);
      }
    }
    const store = new SchemaStore(log, { ...options, topic }, createState());
    const started = performance.now();
    try {
      await store.sync();
    } catch (err) {
      await log.close();
      throw err;
    }
    events.publish({
      type: 'replayed',
      topic,
      commands: store.state.applied,
      nextOffset: store.state.nextOffset,
      ms: performance.now() - started,
    });
    return store;
  }

  // ---- writes ----

  /** Registers a schema (Confluent POST /subjects/{s}/versions); an identical live version is returned as is. */
  async register(subject: string, input: RegisterInput): Promise<RegisterResult> {
    const cmd: RegisterCommand = {
      op: 'register',
      subject,
      schema: input.schema,
      schemaType: input.schemaType ?? 'AVRO',
      references: input.references ?? [],
      normalize: input.normalize ?? false,
      ...(input.id !== undefined ? { id: input.id } : {}),
      ...(input.version !== undefined ? { version: input.version } : {}),
    };
    if (cmd.id === undefined && cmd.version === undefined) {
      // Answer from the caught-up state when nothing would change (the common case of a serializer
      // registering at start-up) or when the refusal is certain, so the log only grows with changes.
      await this.fresh();
      const plan = planRegister(this.state, cmd);
      if (plan.kind === 'existing') return commitRegister(this.state, plan, '', 0);
    }
    return (await this.execute(cmd)) as RegisterResult;
  }

  async deleteVersion(subject: string, version: number | 'latest', permanent = false): Promise<number> {
    return ((await this.execute({ op: 'deleteVersion', subject, version, permanent })) as { version: number }).version;
  }

  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    return ((await this.execute({ op: 'deleteSubject', subject, permanent })) as { versions: number[] }).versions;
  }

  /** Sets (or with null deletes) the compatibility level of a subject, or the global one with subject null. */
  async setConfig(subject: string | null, compatibility: CompatibilityLevel | null): Promise<ConfigResult> {
    return (await this.execute({ op: 'setConfig', subject, compatibility })) as ConfigResult;
  }

  async setMode(subject: string | null, mode: Mode | null, force = false): Promise<ModeResult> {
    return (await this.execute({ op: 'setMode', subject, mode, force })) as ModeResult;
  }

  /** Appends any command and returns its result (throws its RegistryError). The Glue adapter uses this. */
  async execute(body: CommandBody): Promise<unknown> {
    this.#checkOpen();
    const requestId = randomUUID();
    const command = { ...body, requestId, issuedAt: Date.now() };
    const value = encodeCommand(command);
    if (value.length > this.#maxCommandBytes) {
      throw new RegistryError(
        'STORE_ERROR',
        `The command is ${value.length} bytes, over the ${this.#maxCommandBytes}-byte limit of the ${this.topic} topic; send a smaller schema or raise max.message.bytes and the registry's limit`,
      );
    }
    this.#pending.set(requestId, null);
    try {
      await this.#withTimeout(
        (async () => {
          try {
            await this.#log.append(encodeKey(requestId), value);
          } catch (err) {
            throw storeError(`cannot append to the ${this.topic} topic at ${this.bootstrap.join(',')}`, err);
          }
          // The record is acknowledged, so the log's end is past it: catching up applies it.
          while (this.#pending.get(requestId) === null) {
            const before = this.state.nextOffset;
            await this.sync();
            if (this.#pending.get(requestId) === null && this.state.nextOffset === before) await delay(5);
          }
        })(),
        this.#writeTimeoutMs,
        'the command to come back from the log',
      );
      const outcome = this.#pending.get(requestId)!;
      if (!outcome.ok) throw RegistryError.fromShape(outcome.error);
      return outcome.result;
    } finally {
      this.#pending.delete(requestId);
    }
  }

  // ---- reading the log ----

  /**
   * Catches up with the log's end as of this call. Calls that arrive while a catch-up runs share the
   * next one (which starts after them), so a burst of reads costs two fetches, not one each.
   */
  sync(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    if (!this.#inflight) {
      this.#lastSyncStart = performance.now();
      this.#inflight = this.#catchUp().finally(() => {
        this.#inflight = null;
      });
      return this.#inflight;
    }
    this.#queued ??= this.#inflight
      .catch(() => {})
      .then(() => {
        this.#queued = null;
        return this.sync();
      });
    return this.#queued;
  }

  /** sync() for reads: bounded by readTimeoutMs, and skipped inside the staleReadMs window. */
  protected override async fresh(): Promise<void> {
    this.#checkOpen();
    if (this.#staleReadMs > 0 && !this.#inflight && performance.now() - this.#lastSyncStart < this.#staleReadMs) return;
    await this.#withTimeout(this.sync(), this.#readTimeoutMs, 'the registry to catch up with the log');
  }

  async #catchUp(): Promise<void> {
    let stalledSince: number | null = null;
    // The end as of the first fetch: a log that keeps growing cannot keep a reader chasing it.
    let target: bigint | null = null;
    for (;;) {
      let batch: Awaited<ReturnType<CommandLog['read']>>;
      try {
        batch = await this.#log.read(this.state.nextOffset);
      } catch (err) {
        throw storeError(`cannot read the ${this.topic} topic at ${this.bootstrap.join(',')}`, err);
      }
      for (const r of batch.records) {
        if (r.offset < this.state.nextOffset) continue;
        const record = decodeRecord(r.key, r.value);
        const applied = applyRecord(this.state, record, r.offset);
        if (applied.requestId !== null && this.#pending.has(applied.requestId)) this.#pending.set(applied.requestId, applied.outcome);
        if (events.hasSubscribers && applied.outcome) {
          events.publish({
            type: 'applied',
            offset: r.offset,
            op: record.kind === 'command' ? record.command.op : null,
            requestId: applied.requestId,
            ok: applied.outcome.ok,
            errorCode: applied.outcome.ok ? undefined : applied.outcome.error.errorCode,
          });
        }
      }
      const before = this.state.nextOffset;
      if (batch.nextOffset > this.state.nextOffset) this.state.nextOffset = batch.nextOffset;
      target ??= batch.highWatermark;
      if (this.state.nextOffset >= target) return;
      if (batch.records.length === 0 && this.state.nextOffset === before) {
        // Nothing readable below the high watermark yet: try again shortly, but not forever.
        stalledSince ??= performance.now();
        if (performance.now() - stalledSince > 5000) {
          throw new RegistryError(
            'STORE_ERROR',
            `Store error: no record readable at offset ${before} of ${this.topic} below its end ${target}`,
          );
        }
        await delay(2);
      } else {
        stalledSince = null;
      }
    }
  }

  /** Counts for a status line: commands replayed, the log offset reached, subjects and schemas held. */
  stats(): { commands: number; nextOffset: bigint; subjects: number; schemas: number } {
    return {
      commands: this.state.applied,
      nextOffset: this.state.nextOffset,
      subjects: this.state.subjects.size,
      schemas: this.state.schemas.size,
    };
  }

  /** The state as plain JSON, identical on every instance that has read the same log. */
  snapshot(): StateSnapshot {
    return snapshotState(this.state);
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#log.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw closedError();
  }

  async #withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RegistryError(
              'OPERATION_TIMEOUT',
              `Timed out after ${ms} ms waiting for ${what} (${this.topic} on ${this.bootstrap.join(',')}); check the Kafka cluster's health, then retry (a write may still take effect)`,
            ),
          ),
        ms,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      work.catch(() => {}); // a late failure after the timeout has already been answered
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function closedError(): RegistryError {
  return new RegistryError('STORE_ERROR', 'The registry store is closed');
}

/** A Kafka client failure as a 50001, with the innermost cause (platformatic nests retries). */
function storeError(what: string, err: unknown): RegistryError {
  if (err instanceof RegistryError) return err;
  let cause = err as { message?: string; errors?: unknown[] };
  while (Array.isArray(cause?.errors) && cause.errors.length > 0) cause = cause.errors[cause.errors.length - 1] as typeof cause;
  const detail = cause?.message ?? String(err);
  return new RegistryError(
    'STORE_ERROR',
    `Store error: ${what}: ${detail}; check that Kafka is running and that --bootstrap points at it`,
    {
      cause: err,
    },
  );
}
