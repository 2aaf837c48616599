// The broker's ACL bindings, kept in the data directory (`acls.json`) and replaced atomically on
// every change, so that they survive a restart or a crash whole. Lookups go by resource type.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrookError } from '../common/errors.ts';
import { type AclBinding, type AclFilter, filterMatches, sameBinding } from './acl.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const ACLS_FILE = 'acls.json';

interface FileShape {
  version: 1;
  acls: AclBinding[];
}

export class AclStore {
  private readonly path: string | null;
  private bindings: AclBinding[] = [];

  /** A store persisted in `dataDir`, or (null) kept in memory only. */
  constructor(dataDir: string | null) {
    this.path = dataDir === null ? null : join(dataDir, ACLS_FILE);
    if (this.path) this.bindings = load(this.path);
  }

  all(): readonly AclBinding[] {
    return this.bindings;
  }

  ofType(resourceType: number): AclBinding[] {
    return this.bindings.filter((b) => b.resourceType === resourceType);
  }

  describe(filter: AclFilter): AclBinding[] {
    return this.bindings.filter((b) => filterMatches(filter, b));
  }

  /** Adds bindings not already present, persisting before returning. */
  add(bindings: readonly AclBinding[]): void {
    const next = [...this.bindings];
    for (const b of bindings) if (!next.some((x) => sameBinding(x, b))) next.push(b);
    this.replace(next);
  }

  /** Removes every binding matching any filter; returns, per filter, what it removed. */
  remove(filters: readonly AclFilter[]): AclBinding[][] {
    const removed = filters.map((f) => this.bindings.filter((b) => filterMatches(f, b)));
    const gone = new Set(removed.flat());
    if (gone.size > 0) this.replace(this.bindings.filter((b) => !gone.has(b)));
    return removed;
  }

  private replace(next: AclBinding[]): void {
    if (this.path) writeFileAtomic(this.path, `${JSON.stringify({ version: 1, acls: next } satisfies FileShape, null, 2)}\n`);
    this.bindings = next;
  }
}

function load(path: string): AclBinding[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new BrookError('ACLS', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const parsed = JSON.parse(text) as FileShape;
    if (parsed.version !== 1 || !Array.isArray(parsed.acls)) throw new Error('not a version 1 ACL file');
    return parsed.acls.map((a) => ({
      resourceType: a.resourceType,
      resourceName: a.resourceName,
      patternType: a.patternType,
      principal: a.principal,
      host: a.host,
      operation: a.operation,
      permission: a.permission,
    }));
  } catch (err) {
    // Starting with no ACLs would silently change who may do what: refuse instead.
    throw new BrookError(
      'ACLS',
      `${path} is damaged (${(err as Error).message}); restore it from a backup or remove it and add the ACLs again`,
    );
  }
}
