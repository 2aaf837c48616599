// The evolution table run through every level, both reading directions, and avsc's resolver: a
// case passes when the verdicts, the incompatibility types and locations, and avsc all agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ParsedAvroSchema, parseAvroSchema } from '../../../src/registry/avro/parse.ts';
import { canRead } from '../../../src/registry/compatibility/can-read.ts';
import { checkCompatibility } from '../../../src/registry/compatibility/check.ts';
import type { Incompatibility } from '../../../src/registry/compatibility/incompatibility.ts';
import { COMPATIBILITY_LEVELS } from '../../../src/registry/compatibility/levels.ts';
import { CASES, type EvolutionCase, type Expected } from './cases.ts';

function shape(found: readonly Incompatibility[], expected: readonly Expected[]): Expected[] {
  return found.map((inc, i) =>
    expected[i]?.message === undefined
      ? { type: inc.type, location: inc.location }
      : { type: inc.type, location: inc.location, message: inc.message },
  );
}

/** Does avsc build a resolver from writer to reader? Its resolver throws on every resolution error. */
function avscReads(reader: ParsedAvroSchema, writer: ParsedAvroSchema, ignoreNamespaces: boolean): boolean {
  try {
    reader.avscType.createResolver(writer.avscType, { ignoreNamespaces });
    return true;
  } catch {
    return false;
  }
}

test('the table holds at least 40 evolution cases with distinct names', () => {
  assert.ok(CASES.length >= 40, `only ${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
});

function run(c: EvolutionCase): void {
  const options = { ignoreNamespaces: c.ignoreNamespaces === true };
  const next = parseAvroSchema(c.next);
  const previous = c.previous.map((text) => parseAvroSchema(text));
  const latest = previous[previous.length - 1]!;

  for (const level of COMPATIBILITY_LEVELS) {
    const result = checkCompatibility(
      next,
      previous.map((schema, i) => ({ schema, version: i + 1 })),
      level,
      options,
    );
    const expected = level === 'NONE' || c.passes.includes(level);
    assert.equal(
      result.compatible,
      expected,
      `${level}: expected ${expected ? 'compatible' : 'incompatible'}; messages ${result.messages.join('\n')}`,
    );
    assert.equal(result.outcome, expected ? 'compatible' : 'incompatible');
    assert.equal(result.messages.length === 0, expected, `${level}: messages exactly when incompatible`);
  }

  const backward = canRead(next, latest, options);
  assert.deepEqual(shape(backward.incompatibilities, c.backward), c.backward, 'new schema reading the latest');
  assert.equal(backward.compatible, c.backward.length === 0);
  const forward = canRead(latest, next, options);
  assert.deepEqual(shape(forward.incompatibilities, c.forward), c.forward, 'latest reading the new schema');
  if (c.oldest !== undefined) {
    const oldest = previous[0]!;
    assert.deepEqual(
      shape(canRead(next, oldest, options).incompatibilities, c.oldest.backward),
      c.oldest.backward,
      'new reading the oldest',
    );
    assert.deepEqual(shape(canRead(oldest, next, options).incompatibilities, c.oldest.forward), c.oldest.forward, 'oldest reading the new');
  }

  // avsc's resolver is an independent implementation of the same resolution rules.
  for (const old of previous) {
    for (const [reader, writer] of [
      [next, old],
      [old, next],
    ] as const) {
      assert.equal(
        avscReads(reader, writer, options.ignoreNamespaces),
        canRead(reader, writer, options).compatible,
        `avsc disagrees reading ${writer.canonical} as ${reader.canonical}`,
      );
    }
  }
}

for (const c of CASES) test(c.name, () => run(c));
