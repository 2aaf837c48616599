// DirectoryCheckpointStore: the newest checkpoint loads; the last 3 are kept; a damaged or torn
// newest file is skipped with a warning and the previous one loads; all damaged is an error, not a
// silent fresh start; leftovers of a crash mid-save are ignored and cleaned up.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { DirectoryCheckpointStore } from '../../../src/processor/checkpoint/directory-checkpoint-store.ts';
import { tempDir } from '../../helpers/temp-broker.ts';

let dir: string;
beforeEach(() => {
  dir = join(tempDir('brook-ckpt-'), 'checkpoints');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const file = (id: number) => join(dir, `checkpoint-${String(id).padStart(20, '0')}.ckpt`);

test('nothing saved: load() gives undefined (the directory need not exist)', async () => {
  const store = new DirectoryCheckpointStore({ dir });
  assert.equal(await store.load(), undefined);
  assert.equal(store.description, `directory ${dir}`);
});

test('load() returns the newest checkpoint; only the last 3 files are kept', async () => {
  const store = new DirectoryCheckpointStore({ dir });
  for (let id = 1; id <= 5; id++) await store.save(id, bytes(`checkpoint ${id}`));
  assert.equal(str(await store.load()), 'checkpoint 5');
  assert.deepEqual(readdirSync(dir).sort(), [5, 4, 3].map((id) => file(id).slice(dir.length + 1)).sort());
  // Ids compare as numbers, not as text: 10 is newer than 9.
  for (const id of [9, 10]) await store.save(id, bytes(`checkpoint ${id}`));
  assert.equal(str(await new DirectoryCheckpointStore({ dir }).load()), 'checkpoint 10');
});

test('a damaged newest file is skipped with a warning; the previous one loads', async () => {
  const store = new DirectoryCheckpointStore({ dir });
  for (let id = 1; id <= 3; id++) await store.save(id, bytes(`checkpoint ${id}`));
  writeFileSync(file(3), Buffer.from(readFileSync(file(3)).map((b, i) => (i === 30 ? b ^ 0xff : b))));
  const warnings: string[] = [];
  const reader = new DirectoryCheckpointStore({ dir, onWarning: (m) => warnings.push(m) });
  assert.equal(str(await reader.load()), 'checkpoint 2');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /skipping checkpoint file .*checkpoint-0+3\.ckpt: CRC-32C mismatch/);

  // A torn file (cut short) is skipped the same way.
  truncateSync(file(2), 10);
  warnings.length = 0;
  assert.equal(str(await reader.load()), 'checkpoint 1');
  assert.equal(warnings.length, 2);
  assert.match(warnings[1]!, /checkpoint-0+2\.ckpt: 10 bytes, shorter than the 24-byte header/);
});

test('a file renamed to another id is refused: its envelope names its own checkpoint', async () => {
  const store = new DirectoryCheckpointStore({ dir });
  await store.save(1, bytes('one'));
  await store.save(2, bytes('two'));
  writeFileSync(file(3), readFileSync(file(1)));
  const warnings: string[] = [];
  assert.equal(str(await new DirectoryCheckpointStore({ dir, onWarning: (m) => warnings.push(m) }).load()), 'two');
  assert.match(warnings[0]!, /its envelope says checkpoint 1/);
});

test('every file damaged: load() fails and says what to do, rather than starting over silently', async () => {
  const store = new DirectoryCheckpointStore({ dir });
  await store.save(1, bytes('one'));
  truncateSync(file(1), 30);
  await assert.rejects(store.load(), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CHECKPOINT_CORRUPT');
    assert.match(err.message, /none of the 1 checkpoint files .* is valid; move them aside/);
    return true;
  });
});

test('a temp file left by a crash mid-save is never loaded and is removed by the next save', async () => {
  const store = new DirectoryCheckpointStore({ dir });
  await store.save(1, bytes('one'));
  const leftover = join(dir, '.checkpoint-2-99999-1.tmp');
  writeFileSync(leftover, 'half of checkp');
  assert.equal(str(await store.load()), 'one');
  await store.save(2, bytes('two'));
  assert.deepEqual(readdirSync(dir).sort(), [file(1), file(2)].map((f) => f.slice(dir.length + 1)).sort());
  assert.equal(str(await store.load()), 'two');
});
