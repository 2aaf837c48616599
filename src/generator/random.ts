// A small seedable PRNG (splitmix32) so `--seed` makes the whole clickstream reproducible;
// without a seed the state comes from crypto, never from Math.random.
import { randomInt } from 'node:crypto';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

/** A generator seeded from the OS: used when no `--seed` is given. */
export function unseededRandom(): Random {
  return seededRandom(randomInt(0, 2 ** 32 - 1));
}

/** Derives an independent stream for worker `index` from a base seed. */
export function workerSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1)) >>> 0;
}
