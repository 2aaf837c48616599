// Aligned plain-text tables for terminals: numbers right-aligned, and on a terminal the widest text
// column is shortened with an ellipsis so rows do not wrap (piped output is never shortened).

const NUMERIC = /^(-|-?\d+(\.\d+)?)$/;
const GAP = '  ';
const MIN_SHRUNK = 8;

export function renderTable(headers: string[], rows: (string | number | bigint)[][], maxWidth?: number): string {
  const cells = rows.map((r) => headers.map((_, i) => String(r[i] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const right = headers.map((_, i) => cells.length > 0 && cells.every((r) => NUMERIC.test(r[i]!)));
  if (maxWidth !== undefined) shrink(widths, right, maxWidth);
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        const w = widths[i]!;
        const cut = c.length > w ? `${c.slice(0, Math.max(0, w - 1))}…` : c;
        return right[i] ? cut.padStart(w) : cut.padEnd(w);
      })
      .join(GAP)
      .trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}

function shrink(widths: number[], right: boolean[], maxWidth: number): void {
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (!right[i] && widths[i]! > MIN_SHRUNK && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return;
    widths[widest] = Math.max(MIN_SHRUNK, widths[widest]! - (total() - maxWidth));
  }
}

/** `key: value` lines with the values aligned. */
export function renderFields(fields: [string, string | number][]): string {
  const w = Math.max(...fields.map(([k]) => k.length)) + 2;
  return fields.map(([k, v]) => `${`${k}:`.padEnd(w)}${v}\n`).join('');
}

/** Partition lists as ranges: [0,1,2,5] -> "0-2,5". */
export function ranges(ns: number[]): string {
  const sorted = [...new Set(ns)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
