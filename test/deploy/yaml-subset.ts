// A reader for the subset of YAML that docker-compose.yml is written in, so the test needs no
// YAML dependency: block mappings, block sequences of scalars, JSON-style flow sequences, quoted
// and plain scalars (all returned as strings), comments. Anything else (anchors, multi-line
// scalars, tabs, duplicate keys) is an error naming the line, so the file stays in the subset.

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  no: number;
  indent: number;
  text: string;
}

function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]!))) return s.slice(0, i);
  }
  return s;
}

function scalar(raw: string, no: number): YamlValue {
  const s = raw.trim();
  if (s.startsWith('"')) return JSON.parse(s) as string;
  if (s.startsWith("'")) {
    if (!/^'([^']|'')*'$/.test(s)) throw new Error(`line ${no}: bad single-quoted scalar ${s}`);
    return s.slice(1, -1).replaceAll("''", "'");
  }
  if (s.startsWith('[')) {
    const list = JSON.parse(s) as unknown;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new Error(`line ${no}: flow sequences must hold strings`);
    return list;
  }
  if (/^[&*!|>{@`]/.test(s)) throw new Error(`line ${no}: '${s[0]}' is outside the YAML subset this test reads`);
  return s;
}

export function parseYamlSubset(text: string): YamlValue {
  const lines: Line[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tab character`);
    const body = stripComment(raw).trimEnd();
    if (body.trim() === '') continue;
    lines.push({ no: i + 1, indent: body.length - body.trimStart().length, text: body.trim() });
  }
  let pos = 0;
  const block = (indent: number): YamlValue => {
    const first = lines[pos]!;
    if (first.text.startsWith('- ')) {
      const list: YamlValue[] = [];
      while (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.text.startsWith('- ')) {
        const item = lines[pos]!;
        if (/^- [\w.-]+:(\s|$)/.test(item.text)) throw new Error(`line ${item.no}: mappings inside sequences are outside the subset`);
        list.push(scalar(item.text.slice(2), item.no));
        pos++;
      }
      return list;
    }
    const map: { [key: string]: YamlValue } = {};
    while (pos < lines.length && lines[pos]!.indent === indent) {
      const line = lines[pos]!;
      const m = /^([\w.-]+|"[^"]+"):(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new Error(`line ${line.no}: expected 'key: value', got '${line.text}'`);
      const key = m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!;
      if (key in map) throw new Error(`line ${line.no}: duplicate key '${key}'`);
      pos++;
      if (m[2] !== undefined && m[2] !== '') map[key] = scalar(m[2], line.no);
      else {
        const next = lines[pos];
        if (!next || next.indent <= indent) throw new Error(`line ${line.no}: '${key}' has no value`);
        map[key] = block(next.indent);
      }
    }
    if (pos < lines.length && lines[pos]!.indent > indent) throw new Error(`line ${lines[pos]!.no}: unexpected indentation`);
    return map;
  };
  if (lines.length === 0) return {};
  const doc = block(lines[0]!.indent);
  if (pos < lines.length) throw new Error(`line ${lines[pos]!.no}: unexpected indentation`);
  return doc;
}
