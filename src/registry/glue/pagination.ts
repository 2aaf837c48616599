// MaxResults/NextToken paging over a sorted list. The token carries the last key served rather than
// an offset, so entries added or deleted between pages neither repeat nor vanish from later pages.
import { invalidInput } from './errors.ts';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface Cursor {
  /** What the token was issued for (operation and its scope), so it is not replayed elsewhere. */
  s: string;
  /** The key of the last item served. */
  k: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function decode(token: string, scope: string): string {
  let cursor: Cursor | undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && typeof (parsed as Cursor).s === 'string' && typeof (parsed as Cursor).k === 'string') {
      cursor = parsed as Cursor;
    }
  } catch {
    // Not base64 JSON: falls through to the refusal below.
  }
  if (!cursor) throw invalidInput('NextToken is not a token this registry issued; start again without NextToken');
  if (cursor.s !== scope)
    throw invalidInput('NextToken was issued for a different request; pass it only with the same operation and identifiers');
  return cursor.k;
}

/**
 * One page of `items` ordered by `key` (string order). `scope` ties the token to one request shape;
 * a key must be unique within the list.
 */
export function paginate<T>(
  items: readonly T[],
  key: (item: T) => string,
  options: { scope: string; maxResults: number; nextToken?: string },
): Page<T> {
  const sorted = items.map((item) => ({ item, k: key(item) })).sort((a, b) => compare(a.k, b.k));
  const after = options.nextToken === undefined ? undefined : decode(options.nextToken, options.scope);
  const start = after === undefined ? 0 : sorted.findIndex((e) => e.k > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, options.maxResults);
  const last = page.at(-1);
  const nextToken =
    rest.length > page.length && last
      ? Buffer.from(JSON.stringify({ s: options.scope, k: last.k } satisfies Cursor)).toString('base64url')
      : undefined;
  return { items: page.map((e) => e.item), nextToken };
}

/** A key that sorts numbers numerically under string order. */
export const numberKey = (n: number): string => String(n).padStart(16, '0');
