// Input files for kcat -P -l: one record value per line, fixed size, written once per run.
import * as fs from 'node:fs';

/** Writes `count` lines of `valueBytes` bytes (plus '\n'); each value starts with its sequence number. */
export function writeRecordsFile(file: string, count: number, valueBytes: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    const filler = 'x'.repeat(valueBytes);
    const perChunk = Math.max(1, Math.floor((1 << 20) / (valueBytes + 1)));
    for (let i = 0; i < count; i += perChunk) {
      let s = '';
      for (let j = i; j < Math.min(count, i + perChunk); j++) {
        const seq = String(j);
        s += `${seq}${filler.slice(seq.length)}\n`;
      }
      fs.writeSync(fd, s);
    }
  } finally {
    fs.closeSync(fd);
  }
}
