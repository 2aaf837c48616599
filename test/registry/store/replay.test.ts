// The log is the source of truth: two instances on one broker agree on ids, versions and verdicts
// under concurrent writes, and a store replaying from scratch (also after a broker restart) rebuilds
// exactly the same state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SchemaStore } from '../../../src/registry/store/store.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { openStore, record } from './helpers.ts';

describe('registry store replay', () => {
  let tb: TempBroker;
  let a: SchemaStore;
  let b: SchemaStore;
  before(async () => {
    tb = await startTempBroker();
    [a, b] = await Promise.all([openStore(tb), openStore(tb)]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await tb.dispose();
  });

  test('concurrent registrations on two instances never share an id and leave identical state', async () => {
    const writes = [];
    for (let i = 0; i < 20; i++) {
      const store = i % 2 === 0 ? a : b;
      // Fields with defaults: each version can read the previous ones (BACKWARD, the default level).
      const schema = record('R', [[`f${i}`, 'int', i]]);
      writes.push(store.register(`race-${i % 4}`, { schema, schemaType: 'AVRO', references: [], normalize: false }));
    }
    const results = await Promise.all(writes);
    const ids = results.map((r) => r.id);
    assert.equal(new Set(ids).size, 20, 'twenty different schemas get twenty different ids');
    assert.deepEqual(
      [...ids].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i + 1),
      'ids are 1..20 with no gap',
    );
    // Each subject got versions 1..5, in log order.
    for (let s = 0; s < 4; s++) {
      const mine = results.filter((r) => r.subject === `race-${s}`).map((r) => r.version);
      assert.deepEqual([...mine].sort(), [1, 2, 3, 4, 5]);
    }
    await Promise.all([a.sync(), b.sync()]);
    assert.deepEqual(a.snapshot(), b.snapshot());
  });

  test('a write on one instance is visible to an immediate read on the other', async () => {
    const r = await a.register('ryw', { schema: record('Ryw', [['x', 'string']]), schemaType: 'AVRO', references: [], normalize: false });
    const seen = await b.getVersion('ryw', 'latest');
    assert.equal(seen.id, r.id);
    assert.deepEqual(await b.listVersions('ryw'), [1]);
  });

  test('an incompatible registration racing a compatible one is refused for exactly one, the same on both', async () => {
    const base = record('Race', [['a', 'int']]);
    await a.register('verdict', { schema: base, schemaType: 'AVRO', references: [], normalize: false });
    const appliedBefore = a.snapshot().applied;
    // Each is BACKWARD-compatible with v1, but not with the other: whichever the log orders second loses.
    const s2 = record('Race', [
      ['a', 'int'],
      ['b', 'string', 'x'],
    ]);
    const s3 = record('Race', [
      ['a', 'int'],
      ['b', 'int', 0],
    ]);
    const [r2, r3] = await Promise.allSettled([
      a.register('verdict', { schema: s2, schemaType: 'AVRO', references: [], normalize: false }),
      b.register('verdict', { schema: s3, schemaType: 'AVRO', references: [], normalize: false }),
    ]);
    const ok = [r2, r3].filter((r) => r.status === 'fulfilled');
    const refused = [r2, r3].filter((r) => r.status === 'rejected');
    assert.equal(ok.length, 1, 'exactly one registration succeeds');
    assert.equal(refused.length, 1);
    assert.equal(((refused[0] as PromiseRejectedResult).reason as { errorCode: number }).errorCode, 409);
    await Promise.all([a.sync(), b.sync()]);
    assert.equal(a.snapshot().applied, appliedBefore + 2, 'both commands reached the log: the replay, not a local check, decided');
    assert.deepEqual(await a.listVersions('verdict'), [1, 2]);
    assert.deepEqual(a.snapshot(), b.snapshot());
  });

  test('a store replaying from scratch rebuilds the same state, also after a broker restart', async () => {
    await a.setConfig('verdict', 'FULL');
    await b.deleteVersion('race-0', 1);
    await a.setMode('race-1', 'READONLY');
    await a.sync();
    const expected = a.snapshot();
    const fresh = await openStore(tb);
    assert.deepEqual(fresh.snapshot(), expected);
    await fresh.close();

    await Promise.all([a.close(), b.close()]);
    tb = await tb.restart();
    [a, b] = await Promise.all([openStore(tb), openStore(tb)]);
    assert.deepEqual(a.snapshot(), expected);
    assert.deepEqual(b.snapshot(), expected);
  });
});
