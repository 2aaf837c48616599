// Window assignment: epoch alignment, offsets, negative times, sliding overlaps, bad arguments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sessionWindows, slidingWindows, tumblingWindows } from '../../src/processor/windows.ts';

describe('window assigners', () => {
  test('tumbling windows are aligned to the epoch', () => {
    const w = tumblingWindows({ sizeMs: 10_000 });
    assert.deepEqual(w.assign(0), [{ start: 0, end: 10_000 }]);
    assert.deepEqual(w.assign(9_999), [{ start: 0, end: 10_000 }]);
    assert.deepEqual(w.assign(10_000), [{ start: 10_000, end: 20_000 }]);
    assert.deepEqual(w.assign(1_700_000_012_345), [{ start: 1_700_000_010_000, end: 1_700_000_020_000 }]);
    assert.deepEqual(w.assign(-1), [{ start: -10_000, end: 0 }]);
  });

  test('an offset shifts the alignment', () => {
    const w = tumblingWindows({ sizeMs: 10_000, offsetMs: 3_000 });
    assert.deepEqual(w.assign(2_999), [{ start: -7_000, end: 3_000 }]);
    assert.deepEqual(w.assign(3_000), [{ start: 3_000, end: 13_000 }]);
  });

  test('sliding windows: every window containing the time, oldest first', () => {
    const w = slidingWindows({ sizeMs: 10_000, slideMs: 5_000 });
    assert.deepEqual(w.assign(7_000), [
      { start: 0, end: 10_000 },
      { start: 5_000, end: 15_000 },
    ]);
    const odd = slidingWindows({ sizeMs: 10_000, slideMs: 3_000 });
    const got = odd.assign(10_000);
    for (const win of got) assert.ok(win.start <= 10_000 && 10_000 < win.end);
    assert.deepEqual(
      got.map((x) => x.start),
      [3_000, 6_000, 9_000],
    );
  });

  test('bad sizes are rejected with a clear error', () => {
    assert.throws(() => tumblingWindows({ sizeMs: 0 }), /window size must be a positive integer/);
    assert.throws(() => slidingWindows({ sizeMs: 10, slideMs: 5, offsetMs: 7 }), /offset must be an integer smaller than the slide/);
    assert.throws(() => sessionWindows({ gapMs: -1 }), /session gap/);
  });
});
