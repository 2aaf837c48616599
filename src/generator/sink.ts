// Where generated records go: a Kafka producer in real runs, nothing at all in the benchmark's
// "generation and encoding only" run. A send resolves when the records are acknowledged.

export interface OutRecord {
  key: Buffer;
  value: Buffer;
  /** Kafka record timestamp (CreateTime), epoch ms. */
  timestamp: number;
}

export interface Sink {
  /** Resolves when every record is acknowledged; rejects when they could not be written. */
  send(records: OutRecord[]): Promise<void>;
  /** Sends what is buffered and waits for it. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const discardSink: Sink = {
  send: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
