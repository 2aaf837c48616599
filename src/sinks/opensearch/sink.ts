// OpenSearchSink: the clickstream job's rows into OpenSearch, `_id` = the row's deterministic id so
// replays overwrite instead of duplicating. write() only buffers; _bulk requests go out every
// flushEveryMs or maxActions in the background, one at a time; flush() is the checkpoint's durability point.
import type { ResultRow, ResultTable } from '../../jobs/clickstream/rows.ts';
import type { Sink, StreamRecord } from '../../processor/types.ts';
import type { BulkAction } from './bulk.ts';
import { itemFailureError, sendBatch } from './bulk-send.ts';
import { OpenSearchError } from './errors.ts';
import { type OpenSearchConnectionOptions, OpenSearchHttp } from './http-client.ts';
import { ensureIndexes, type IndexSetup } from './indexes.ts';
import { documentOf, indexNames } from './mappings.ts';
import { type RetryInfo, type RetryPolicy, retryPolicy } from './retry.ts';

export interface OpenSearchSinkOptions extends OpenSearchConnectionOptions {
  /** Prepended to the table names (default index names: the three table names). */
  indexPrefix?: string;
  /** Explicit index names per table; win over the prefix. */
  indices?: Partial<Record<ResultTable, string>>;
  /** Longest a written row waits before its bulk request goes out. Default 1000. */
  flushEveryMs?: number;
  /** Actions per bulk request; a full buffer goes out at once. Default 1000. */
  maxActions?: number;
  /** Retries of a bulk request (or of its 429/5xx items) before the sink fails. Default 10. */
  retries?: number;
  /** First pause between retries; doubles up to maxBackoffMs. Default 100. */
  initialBackoffMs?: number;
  /** Default 10000. */
  maxBackoffMs?: number;
  /** Create the indexes (and check existing ones) in open(). Default true. */
  createIndexes?: boolean;
  /** Default `opensearch:<url>`. */
  name?: string;
  /** Told about each retry, so an overloaded cluster is not silent. */
  onRetry?(info: RetryInfo): void;
}

export interface OpenSearchSinkStats {
  /** Rows given to write(). */
  written: number;
  /** Documents OpenSearch acknowledged (a row rewritten before it was sent counts once). */
  indexed: number;
  /** Documents refused for good, or in a batch that failed as a whole. */
  failed: number;
  bulkRequests: number;
  retries: number;
}

export class OpenSearchSink implements Sink<ResultRow> {
  readonly name: string;
  readonly indices: Record<ResultTable, string>;
  readonly client: OpenSearchHttp;
  readonly #opts: OpenSearchSinkOptions;
  readonly #policy: RetryPolicy;
  readonly #flushEveryMs: number;
  readonly #maxActions: number;
  /** Keyed by index and id: a row written twice before it is sent goes once, as last written. */
  #buffer = new Map<string, BulkAction>();
  #timer: NodeJS.Timeout | undefined;
  /** The last batch: batches run one after another, so an id's versions land in write order. */
  #tail: Promise<void> = Promise.resolve();
  #opened: Promise<IndexSetup[]> | undefined;
  /** The first failure: every later flush() rejects with it, since the rows it names are lost. */
  #failure: OpenSearchError | undefined;
  readonly #stats: OpenSearchSinkStats = { written: 0, indexed: 0, failed: 0, bulkRequests: 0, retries: 0 };

  constructor(opts: OpenSearchSinkOptions) {
    this.#opts = opts;
    this.indices = indexNames(opts);
    this.client = new OpenSearchHttp(opts);
    this.name = opts.name ?? `opensearch:${this.client.display}`;
    this.#policy = retryPolicy(opts);
    this.#flushEveryMs = positive(opts.flushEveryMs ?? 1000, 'flushEveryMs');
    this.#maxActions = positive(opts.maxActions ?? 1000, 'maxActions');
  }

  get stats(): Readonly<OpenSearchSinkStats> {
    return { ...this.#stats };
  }

  /** Rows buffered, not yet handed to a bulk request. */
  get buffered(): number {
    return this.#buffer.size;
  }

  /** Creates the indexes if missing (resolves to what it found); batches wait for it. */
  open(): Promise<void> {
    return this.setup().then(() => undefined);
  }

  setup(): Promise<IndexSetup[]> {
    this.#opened ??= this.#opts.createIndexes === false ? Promise.resolve([]) : ensureIndexes(this.client, this.indices, this.#policy);
    return this.#opened;
  }

  write(record: StreamRecord<ResultRow>): void {
    const row = record.value;
    const index = this.indices[row.table];
    const key = `${index}\n${row.id}`;
    this.#buffer.delete(key);
    this.#buffer.set(key, { index, id: row.id, source: JSON.stringify(documentOf(row)) });
    this.#stats.written++;
    if (this.#buffer.size >= this.#maxActions) this.#dispatch();
    else this.#timer ??= setTimeout(() => this.#dispatch(), this.#flushEveryMs);
  }

  async flush(): Promise<void> {
    this.#dispatch();
    // Only what was written so far: rows written after this call belong to the next flush.
    await this.#tail;
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.client.close();
    }
  }

  #dispatch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.size === 0) return;
    const batch = [...this.#buffer.values()];
    this.#buffer = new Map();
    this.#tail = this.#tail.then(() => this.#send(batch));
  }

  /** Never rejects: a failure is kept for flush() to report. */
  async #send(batch: BulkAction[]): Promise<void> {
    try {
      await this.setup();
      const r = await sendBatch(this.client, batch, this.#policy);
      this.#stats.indexed += r.indexed;
      this.#stats.bulkRequests += r.requests;
      this.#stats.retries += r.retries;
      this.#stats.failed += r.failures.length;
      if (r.failures.length > 0) this.#failure ??= itemFailureError(r.failures, this.client.display);
    } catch (err) {
      this.#stats.failed += batch.length;
      this.#failure ??=
        err instanceof OpenSearchError
          ? err
          : new OpenSearchError('HTTP', `bulk indexing into ${this.client.display} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function positive(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new OpenSearchError('CONFIG', `${what} must be a positive integer, got ${n}`);
  return n;
}
