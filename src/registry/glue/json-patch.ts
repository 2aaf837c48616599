// A JSON Patch (RFC 6902) taking one JSON value to another: what GetSchemaVersionsDiff answers for
// SYNTAX_DIFF. Objects are compared key by key, arrays index by index; not a minimal edit script.

export type PatchOp = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// RFC 6901: `~` is written `~0` and `/` is written `~1`.
const pointer = (base: string, token: string | number): string => `${base}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;

export function jsonPatch(from: unknown, to: unknown, path = '', out: PatchOp[] = []): PatchOp[] {
  if (isObject(from) && isObject(to)) {
    for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) out.push({ op: 'remove', path: pointer(path, k) });
    for (const [k, v] of Object.entries(to)) {
      if (Object.hasOwn(from, k)) jsonPatch(from[k], v, pointer(path, k), out);
      else out.push({ op: 'add', path: pointer(path, k), value: v });
    }
  } else if (Array.isArray(from) && Array.isArray(to)) {
    const common = Math.min(from.length, to.length);
    for (let i = 0; i < common; i++) jsonPatch(from[i], to[i], pointer(path, i), out);
    for (let i = common; i < to.length; i++) out.push({ op: 'add', path: pointer(path, i), value: to[i] });
    // Highest index first, so each removal leaves the earlier indices where they were.
    for (let i = from.length - 1; i >= common; i--) out.push({ op: 'remove', path: pointer(path, i) });
  } else if (JSON.stringify(from) !== JSON.stringify(to)) {
    out.push({ op: 'replace', path, value: to });
  }
  return out;
}
