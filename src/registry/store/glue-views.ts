// The Glue API's view of the state: registries, schemas (subjects through glueSubject) and versions
// with their UUIDs. Every subject that maps to an existing registry and has a live version (or was
// created through Glue) is a Glue schema, so one store serves both APIs.

import { confluentToGlue } from '../compatibility/levels.ts';
import type { MetadataRecord, RegistryRecord, SchemaRecord, SchemaVersionRecord } from '../glue/backend.ts';
import { DEFAULT_GLUE_REGISTRY, glueSubject, subjectToGlue } from './glue-mapping.ts';
import {
  effectiveCompatibility,
  latestLive,
  type MetadataEntry,
  maxVersion,
  type RegistryState,
  type SubjectEntry,
  type VersionEntry,
  versionsOf,
} from './state.ts';

export function registryExists(state: RegistryState, name: string): boolean {
  return name === DEFAULT_GLUE_REGISTRY || state.registries.has(name);
}

export function registryView(state: RegistryState, name: string): RegistryRecord | undefined {
  const entry = state.registries.get(name);
  if (entry) {
    return {
      name,
      ...(entry.description !== undefined ? { description: entry.description } : {}),
      tags: { ...entry.tags },
      status: 'AVAILABLE',
      createdTime: entry.createdTime,
      updatedTime: entry.updatedTime,
    };
  }
  if (name !== DEFAULT_GLUE_REGISTRY) return undefined;
  // The default registry always exists; it was "created" with the log.
  const t = state.firstIssuedAt ?? 0;
  return { name, tags: {}, status: 'AVAILABLE', createdTime: t, updatedTime: t };
}

export function listRegistryViews(state: RegistryState): RegistryRecord[] {
  const names = new Set([DEFAULT_GLUE_REGISTRY, ...state.registries.keys()]);
  return [...names].map((n) => registryView(state, n)!);
}

/** The subject entry of a Glue schema, if that schema exists. */
export function glueSchemaEntry(state: RegistryState, registryName: string, schemaName: string): SubjectEntry | undefined {
  if (!registryExists(state, registryName)) return undefined;
  const subject = glueSubject(registryName, schemaName);
  if (subjectToGlue(subject) === null) return undefined;
  const entry = state.subjects.get(subject);
  if (!entry) return undefined;
  return entry.glue !== undefined || latestLive(entry) !== undefined ? entry : undefined;
}

export function schemaView(state: RegistryState, entry: SubjectEntry): SchemaRecord {
  const names = subjectToGlue(entry.name)!;
  const binding = entry.glue;
  const live = versionsOf(entry);
  const first = live[0];
  const last = live[live.length - 1];
  return {
    registryName: names.registryName,
    schemaName: names.schemaName,
    ...(binding?.description !== undefined ? { description: binding.description } : {}),
    tags: { ...(binding?.tags ?? {}) },
    dataFormat: 'AVRO',
    compatibility: binding?.disabled ? 'DISABLED' : confluentToGlue(effectiveCompatibility(state, entry.name)),
    status: 'AVAILABLE',
    checkpoint: 1,
    latestVersion: last?.version ?? 0,
    nextVersion: maxVersion(entry) + 1,
    createdTime: binding?.createdTime ?? first?.createdTime ?? 0,
    updatedTime: Math.max(binding?.updatedTime ?? 0, last?.createdTime ?? 0),
  };
}

/** Glue schemas of one registry, or of every registry. */
export function listSchemaViews(state: RegistryState, registryName?: string): SchemaRecord[] {
  const out: SchemaRecord[] = [];
  for (const entry of state.subjects.values()) {
    const names = subjectToGlue(entry.name);
    if (!names || (registryName !== undefined && names.registryName !== registryName)) continue;
    if (glueSchemaEntry(state, names.registryName, names.schemaName) === entry) out.push(schemaView(state, entry));
  }
  return out;
}

export function versionView(state: RegistryState, v: VersionEntry): SchemaVersionRecord | undefined {
  const names = subjectToGlue(v.subject);
  if (!names) return undefined;
  return {
    registryName: names.registryName,
    schemaName: names.schemaName,
    versionId: v.versionId,
    versionNumber: v.version,
    definition: state.schemas.get(v.id)!.text,
    dataFormat: 'AVRO',
    status: 'AVAILABLE',
    createdTime: v.createdTime,
  };
}

/** A live version by UUID, if its subject is a Glue schema. */
export function liveVersionById(state: RegistryState, versionId: string): VersionEntry | undefined {
  const v = state.versionsById.get(versionId.toLowerCase());
  if (!v || v.deleted) return undefined;
  const names = subjectToGlue(v.subject);
  return names && registryExists(state, names.registryName) ? v : undefined;
}

export const metadataView = (m: MetadataEntry): MetadataRecord => ({ key: m.key, value: m.value, createdTime: m.createdTime });
