// The state as plain, ordered JSON: two instances that read the same log produce equal snapshots,
// which is how the tests check deterministic replay, and what an operator can dump to compare.
import type { RegistryState } from './state.ts';

export interface StateSnapshot {
  nextOffset: string;
  applied: number;
  maxId: number;
  compatibility: string | null;
  mode: string | null;
  schemas: { id: number; text: string; refs: number }[];
  subjects: {
    name: string;
    compatibility: string | null;
    mode: string | null;
    glue: unknown;
    versions: { version: number; id: number; deleted: boolean; createdTime: number; versionId: string; metadata: unknown[] }[];
  }[];
  registries: unknown[];
}

const byKey =
  <T>(key: (t: T) => string | number) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export function snapshotState(state: RegistryState): StateSnapshot {
  return {
    nextOffset: state.nextOffset.toString(),
    applied: state.applied,
    maxId: state.maxId,
    compatibility: state.compatibility,
    mode: state.mode,
    schemas: [...state.schemas.values()].map((s) => ({ id: s.id, text: s.text, refs: s.refs })).sort(byKey((s) => s.id)),
    subjects: [...state.subjects.values()]
      .map((e) => ({
        name: e.name,
        compatibility: e.compatibility ?? null,
        mode: e.mode ?? null,
        glue: e.glue ? { ...e.glue } : null,
        versions: [...e.versions.values()]
          .map((v) => ({
            version: v.version,
            id: v.id,
            deleted: v.deleted,
            createdTime: v.createdTime,
            versionId: v.versionId,
            metadata: v.metadata.map((m) => ({ ...m })),
          }))
          .sort(byKey((v) => v.version)),
      }))
      .sort(byKey((e) => e.name)),
    registries: [...state.registries.values()].map((r) => ({ ...r })).sort(byKey((r) => r.name)),
  };
}
