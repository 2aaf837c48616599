// Number formatting and small statistics shared by the benchmarks. MB means 10^6 bytes throughout.

export const MB = 1e6;

export const rate = (n: number, ms: number): number => n / (ms / 1000);

/** "1.23 M records/s, 123.4 MB/s" */
export function throughput(records: number, bytes: number, ms: number): string {
  return `${(rate(records, ms) / 1e6).toFixed(2)} M records/s, ${(rate(bytes, ms) / MB).toFixed(1)} MB/s`;
}

export const mbps = (bytes: number, ms: number): number => rate(bytes, ms) / MB;

export const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

/** Percentile of an ascending sorted array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(xs: number[]): number {
  return percentile(Float64Array.from(xs).sort(), 50);
}

/** Left-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
