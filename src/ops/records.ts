// How consumed records are shown: a header line (partition, offset, time, key, headers) and the
// value for people; one JSON object per record for scripts. Bytes that are not clean UTF-8 text
// are shown as base64 rather than written raw to a terminal.

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: bigint;
  /** The broker stamped the time (message.timestamp.type=LogAppendTime), not the producer. */
  logAppendTime: boolean;
  key: Buffer | null;
  value: Buffer | null;
  headers: [Buffer | null, Buffer | null][];
}

/** A value as it will be shown: decoded Avro, JSON, text, or base64 of other bytes. */
export type ValueView =
  | { format: 'null' }
  | { format: 'avro'; value: unknown; schemaId?: number; schemaVersionId?: string }
  | { format: 'json'; value: unknown; text: string }
  | { format: 'text'; text: string }
  | { format: 'base64'; text: string; error?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** C0 controls other than tab, newline and carriage return (and DEL) would garble a terminal. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** The bytes as text when they are valid UTF-8 without control characters. */
export function textOf(buf: Uint8Array): string | undefined {
  let s: string;
  try {
    s = utf8.decode(buf);
  } catch {
    return undefined;
  }
  return hasControl(s) ? undefined : s;
}

/** JSON objects and arrays are parsed (so --json embeds them); other text stays text. */
export function viewBytes(buf: Buffer | null): ValueView {
  if (buf === null) return { format: 'null' };
  const text = textOf(buf);
  if (text === undefined) return { format: 'base64', text: buf.toString('base64') };
  if (/^\s*[[{]/.test(text)) {
    try {
      return { format: 'json', value: JSON.parse(text), text };
    } catch {
      // not JSON after all: shown as text
    }
  }
  return { format: 'text', text };
}

/** A value JSON.stringify can write: bigints as numbers (strings when unsafe), bytes as base64, maps as objects. */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), jsonSafe(x)]));
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

function keyText(key: Buffer | null): string {
  if (key === null) return '(null)';
  const t = textOf(key);
  return t === undefined ? `base64:${key.toString('base64')}` : JSON.stringify(t).slice(1, -1);
}

function headerText(h: Buffer | null): string {
  if (h === null) return '(null)';
  const t = textOf(h);
  return t === undefined ? `base64:${h.toString('base64')}` : t;
}

export function isoTime(ms: bigint): string {
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0 || n > 8.64e15) return String(ms);
  return new Date(n).toISOString();
}

export interface HumanOptions {
  pretty: boolean;
  valueOnly: boolean;
}

function valueText(view: ValueView, pretty: boolean): string {
  switch (view.format) {
    case 'null':
      return '(null)';
    case 'avro':
      return JSON.stringify(jsonSafe(view.value), null, pretty ? 2 : undefined);
    case 'json':
      return pretty ? JSON.stringify(view.value, null, 2) : view.text;
    case 'text':
      return view.text;
    case 'base64':
      return `base64:${view.text}`;
  }
}

/** The record for a terminal: `partition 0  offset 5  <time>  key k  headers a=b` then the value. */
export function humanRecord(rec: ConsumedRecord, view: ValueView, opts: HumanOptions): string {
  const value = valueText(view, opts.pretty);
  if (opts.valueOnly) return `${value}\n`;
  const parts = [
    `partition ${rec.partition}`,
    `offset ${rec.offset}`,
    `${isoTime(rec.timestamp)}${rec.logAppendTime ? ' (log append)' : ''}`,
  ];
  parts.push(`key ${keyText(rec.key)}`);
  if (rec.headers.length > 0) parts.push(`headers ${rec.headers.map(([k, v]) => `${headerText(k)}=${headerText(v)}`).join(' ')}`);
  if (view.format === 'avro') {
    parts.push(view.schemaId !== undefined ? `avro schema id ${view.schemaId}` : `avro schema version ${view.schemaVersionId}`);
  }
  return `${parts.join('  ')}\n${value}\n`;
}

function bytesJson(b: Buffer | null): { text: string | null; base64: boolean } {
  if (b === null) return { text: null, base64: false };
  const t = textOf(b);
  return t === undefined ? { text: b.toString('base64'), base64: true } : { text: t, base64: false };
}

/**
 * The record for scripts. `value` is the decoded Avro or parsed JSON, or the text, or base64
 * (then valueFormat says so); offsets and timestamps are numbers; headers keep order and repeats.
 */
export function jsonRecord(rec: ConsumedRecord, view: ValueView): Record<string, unknown> {
  const key = bytesJson(rec.key);
  const out: Record<string, unknown> = {
    topic: rec.topic,
    partition: rec.partition,
    offset: jsonSafe(rec.offset),
    timestamp: jsonSafe(rec.timestamp),
    timestampType: rec.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    key: key.text,
    ...(key.base64 ? { keyFormat: 'base64' } : {}),
    headers: rec.headers.map(([k, v]) => [k === null ? null : k.toString('utf8'), bytesJson(v).text]),
    valueFormat: view.format,
  };
  switch (view.format) {
    case 'null':
      out.value = null;
      break;
    case 'avro':
      out.value = jsonSafe(view.value);
      if (view.schemaId !== undefined) out.schemaId = view.schemaId;
      if (view.schemaVersionId !== undefined) out.schemaVersionId = view.schemaVersionId;
      break;
    case 'json':
      out.value = view.value;
      break;
    case 'text':
    case 'base64':
      out.value = view.text;
      if (view.format === 'base64' && view.error) out.error = view.error;
      break;
  }
  return out;
}
