// Test doubles for the generator: a clock that jumps instead of waiting, a sink that keeps records.
import type { Clock } from '../../src/generator/clock.ts';
import type { OutRecord, Sink } from '../../src/generator/sink.ts';

export function fakeClock(start = 1_700_000_000_000): Clock & { t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

export function collectingSink(fail?: (records: OutRecord[]) => boolean): Sink & { records: OutRecord[] } {
  const records: OutRecord[] = [];
  return {
    records,
    send: async (rs) => {
      if (fail?.(rs)) throw new Error('broker said no');
      records.push(...rs);
    },
    flush: async () => {},
    close: async () => {},
  };
}
