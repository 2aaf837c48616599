// Shared by the registry tests: a store on a temp broker, and small Avro record schemas.
import { SchemaStore, type SchemaStoreOptions } from '../../../src/registry/store/store.ts';
import type { TempBroker } from '../../helpers/temp-broker.ts';

export function openStore(tb: TempBroker, options: Partial<SchemaStoreOptions> = {}): Promise<SchemaStore> {
  return SchemaStore.open({ bootstrap: tb.bootstrap, writeTimeoutMs: 5000, readTimeoutMs: 5000, ...options });
}

export type FieldSpec = [name: string, type: unknown] | [name: string, type: unknown, defaultValue: unknown];

/** An Avro record schema as text. */
export function record(name: string, fields: FieldSpec[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'record',
    name,
    ...extra,
    fields: fields.map(([n, type, ...rest]) => (rest.length > 0 ? { name: n, type, default: rest[0] } : { name: n, type })),
  });
}

/** Asserts that `promise` rejects with a RegistryError carrying this Confluent error code. */
export async function rejectsWith(promise: Promise<unknown>, errorCode: number, message?: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { errorCode?: number };
    if (e.errorCode !== errorCode) throw new Error(`expected error_code ${errorCode}, got ${e.errorCode}: ${e.message}`, { cause: err });
    if (message && !message.test(e.message)) throw new Error(`message ${JSON.stringify(e.message)} does not match ${message}`);
    return e;
  }
  throw new Error(`expected a rejection with error_code ${errorCode}, but it resolved`);
}
