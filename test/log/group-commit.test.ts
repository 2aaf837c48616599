// Group commit: concurrent flush() callers share fsync rounds; a caller arriving mid-round waits
// for the next one; nothing appended means no fsync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from '../../src/log/group-commit.ts';

function harness() {
  let appended = 0;
  const rounds: { target: number; done: () => void; fail: (e: Error) => void }[] = [];
  const gc = new GroupCommit(
    () =>
      new Promise<void>((resolve, reject) => {
        rounds.push({ target: appended, done: resolve, fail: reject });
      }),
    () => appended,
  );
  return { gc, rounds, append: (n: number) => (appended += n) };
}

const settled = async (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

test('callers during a round share the next round', async () => {
  const { gc, rounds, append } = harness();
  assert.equal(await settled(gc.flush()), 'resolved', 'nothing appended: no fsync');
  assert.equal(rounds.length, 0);
  append(10);
  const a = gc.flush();
  const a2 = gc.flush(); // nothing new since the round started: joins it
  append(5);
  const b = gc.flush();
  append(5);
  const c = gc.flush();
  assert.equal(rounds.length, 1);
  assert.equal(await settled(b), 'pending');
  rounds[0]!.done();
  assert.equal(await settled(a), 'resolved');
  assert.equal(await settled(a2), 'resolved');
  assert.equal(await settled(b), 'pending', 'b waits for the round that covers its bytes');
  assert.equal(rounds.length, 2, 'one more round for b and c together');
  assert.equal(rounds[1]!.target, 20);
  rounds[1]!.done();
  assert.equal(await settled(b), 'resolved');
  assert.equal(await settled(c), 'resolved');
  assert.equal(await settled(gc.flush()), 'resolved');
  assert.equal(rounds.length, 2);
});

test('a failed fsync rejects its callers and the next flush retries', async () => {
  const { gc, rounds, append } = harness();
  append(1);
  const a = gc.flush();
  rounds[0]!.fail(new Error('EIO'));
  await assert.rejects(a, /EIO/);
  const b = gc.flush();
  assert.equal(rounds.length, 2);
  rounds[1]!.done();
  await b;
});
