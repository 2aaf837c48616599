// Responses encoded by Brook and parsed by kafkajs and @platformatic/kafka: the peers must read back
// the values Brook wrote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader } from '../../src/common/bytes.ts';
import { responseCases } from './cases/index.ts';
import { label } from './cases/kit.ts';
import { assertSubset, matchPeer } from './match.ts';

for (const c of responseCases) {
  test(`response ${label(c)}`, async () => {
    const body = c.api.response.encode(c.version, c.value);
    const parsed = await c.parse(body);
    const brook = c.api.response.read(new ByteReader(body), c.version);
    if (c.expect !== undefined) assertSubset(parsed, c.expect);
    else assert.ok(matchPeer(c.adapt ? c.adapt(parsed) : parsed, brook, c.ignore) > 0, 'nothing was compared');
    c.check?.(parsed);
  });
}
