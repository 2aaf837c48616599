// CRC-32C (Castagnoli), the checksum of Kafka record batches (magic 2). Uses the native
// @node-rs/crc32 (SSE4.2/ARM CRC instructions, ~13x faster) and falls back to a software
// slicing-by-8 implementation where that addon has no build for the platform.

const POLY = 0x82f63b78;
const TABLES: Uint32Array[] = [];

{
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[n] = c >>> 0;
  }
  TABLES.push(t0);
  for (let i = 1; i < 8; i++) {
    const prev = TABLES[i - 1] as Uint32Array;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      const p = prev[n] as number;
      t[n] = ((p >>> 8) ^ (t0[p & 0xff] as number)) >>> 0;
    }
    TABLES.push(t);
  }
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** CRC-32C of buf[start, end), continuing from `crc` (0 for a fresh checksum). */
export function crc32cSoftware(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  let c = ~crc >>> 0;
  let i = start;
  const stop8 = end - 8;
  while (i <= stop8) {
    const lo = (c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0;
    c =
      T7[lo & 0xff]! ^
      T6[(lo >>> 8) & 0xff]! ^
      T5[(lo >>> 16) & 0xff]! ^
      T4[lo >>> 24]! ^
      T3[buf[i + 4]!]! ^
      T2[buf[i + 5]!]! ^
      T1[buf[i + 6]!]! ^
      T0[buf[i + 7]!]!;
    i += 8;
  }
  while (i < end) c = T0[(c ^ buf[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

type Crc = (buf: Uint8Array, start?: number, end?: number, crc?: number) => number;

async function loadNative(): Promise<Crc | undefined> {
  try {
    const native = (await import('@node-rs/crc32')).crc32c;
    return (buf, start = 0, end = buf.length, crc = 0) => native(start === 0 && end === buf.length ? buf : buf.subarray(start, end), crc);
  } catch {
    return undefined;
  }
}

const nativeCrc = await loadNative();

/** CRC-32C of buf[start, end), continuing from `crc` (0 for a fresh checksum). */
export const crc32c: Crc = nativeCrc ?? crc32cSoftware;
export const crc32cImplementation: 'native' | 'software' = nativeCrc ? 'native' : 'software';
