// KeyedDirectoryCheckpointStore: one directory, a file series per key (an input partition, the
// combiner) that loads and prunes on its own; scan() at start finds every key's newest checkpoint,
// refuses the single-pipeline layout with what to delete, and refuses a directory of damaged files.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { DirectoryCheckpointStore } from '../../../src/processor/checkpoint/directory-checkpoint-store.ts';
import { KeyedDirectoryCheckpointStore } from '../../../src/processor/checkpoint/keyed-directory-store.ts';
import { tempDir } from '../../helpers/temp-broker.ts';

let dir: string;
beforeEach(() => {
  dir = join(tempDir('brook-keyed-ckpt-'), 'checkpoints');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const name = (key: string, id: number) => `${key}.checkpoint-${String(id).padStart(20, '0')}.ckpt`;

test('keys are saved, loaded and pruned apart; scan() gives each key its newest', async () => {
  const store = new KeyedDirectoryCheckpointStore({ dir });
  assert.deepEqual(await store.scan(), new Map(), 'nothing yet (the directory need not exist)');
  for (let id = 1; id <= 4; id++) await store.save('clicks-0', id, bytes(`p0 #${id}`));
  await store.save('clicks-1', 2, bytes('p1 #2'));
  await store.save('combiner', 4, bytes('combiner #4'));
  assert.equal(str(await store.load('clicks-0')), 'p0 #4');
  assert.equal(str(await store.load('clicks-1')), 'p1 #2');
  assert.equal(await store.load('clicks-2'), undefined);
  assert.deepEqual(
    readdirSync(dir).sort(),
    [name('clicks-0', 2), name('clicks-0', 3), name('clicks-0', 4), name('clicks-1', 2), name('combiner', 4)].sort(),
  );
  const fresh = await new KeyedDirectoryCheckpointStore({ dir }).scan();
  assert.deepEqual([...fresh].map(([k, v]) => [k, str(v)]).sort(), [
    ['clicks-0', 'p0 #4'],
    ['clicks-1', 'p1 #2'],
    ['combiner', 'combiner #4'],
  ]);
});

test('checkpoints of the single-pipeline layout are refused with what to delete', async () => {
  await new DirectoryCheckpointStore({ dir }).save(7, bytes('the whole job'));
  await assert.rejects(new KeyedDirectoryCheckpointStore({ dir }).scan(), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CHECKPOINT_MISMATCH');
    assert.match(err.message, /single-pipeline layout \(1 checkpoint-\*\.ckpt files\).*Delete \(or move aside\) those files/);
    assert.match(err.message, /--from committed/);
    return true;
  });
});

test('every file damaged: refused as a whole, counting every file; one key damaged: refused naming the key', async () => {
  const store = new KeyedDirectoryCheckpointStore({ dir });
  await store.save('clicks-0', 1, bytes('a'));
  await store.save('clicks-1', 1, bytes('b'));
  await store.save('combiner', 1, bytes('c'));
  truncateSync(join(dir, name('clicks-1', 1)), 10);
  await assert.rejects(
    new KeyedDirectoryCheckpointStore({ dir }).scan(),
    /none of the 1 checkpoint files of clicks-1 in .* is valid; move them aside/,
  );
  for (const f of readdirSync(dir)) writeFileSync(join(dir, f), 'garbage');
  await assert.rejects(new KeyedDirectoryCheckpointStore({ dir }).scan(), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CHECKPOINT_CORRUPT');
    assert.match(err.message, /^none of the 3 checkpoint files in .* is valid; move them aside to start the job from scratch$/);
    return true;
  });
});

test("a temp file of a live process sharing the directory is left alone; a dead process's is removed", async () => {
  const store = new KeyedDirectoryCheckpointStore({ dir });
  await store.save('clicks-0', 1, bytes('one'));
  // The parent of this test process is alive; pid 2147483646 is not.
  const live = `.clicks-0.checkpoint-2-${process.ppid}-1.tmp`;
  const dead = '.clicks-0.checkpoint-2-2147483646-1.tmp';
  writeFileSync(join(dir, live), 'being written');
  writeFileSync(join(dir, dead), 'left by a crash');
  await store.save('clicks-0', 2, bytes('two'));
  const files = readdirSync(dir);
  assert.ok(files.includes(live));
  assert.ok(!files.includes(dead));
});

test('keys must be safe file names', async () => {
  await assert.rejects(new KeyedDirectoryCheckpointStore({ dir }).save('../escape', 1, bytes('x')), /may use only letters, digits/);
});
