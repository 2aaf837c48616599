// The state machine: apply(state, record, offset) -> outcome. Deterministic (no clock but the
// command's issuedAt, no randomness), so every instance replaying the log reaches the same state.
import { applyDeleteSubject, applyDeleteVersion, applySetConfig, applySetMode } from './apply-confluent.ts';
import {
  applyGlueCreateRegistry,
  applyGlueCreateSchema,
  applyGlueDeleteRegistry,
  applyGlueDeleteSchema,
  applyGluePutVersionMetadata,
  applyGlueRemoveVersionMetadata,
  applyGlueUpdateRegistry,
  applyGlueUpdateSchema,
} from './apply-glue.ts';
import { commitRegister, planRegister } from './apply-register.ts';
import type { Command, DecodedRecord } from './commands.ts';
import { RegistryError, registryError } from './errors.ts';
import { subjectToGlue } from './glue-mapping.ts';
import { glueSchemaEntry } from './glue-views.ts';
import { OUTCOME_MEMORY, type Outcome, type RegistryState } from './state.ts';

export interface Applied {
  requestId: string | null;
  outcome: Outcome | null;
}

/** Applies one record at `offset` and moves the state past it. */
export function applyRecord(state: RegistryState, record: DecodedRecord, offset: bigint): Applied {
  if (offset >= state.nextOffset) state.nextOffset = offset + 1n;
  if (record.kind === 'other') return { requestId: null, outcome: null };
  if (record.kind === 'malformed') {
    const outcome: Outcome = { ok: false, error: registryError('STORE_ERROR', `Unreadable command at offset ${offset}: ${record.reason}`) };
    if (record.requestId !== null) remember(state, record.requestId, outcome);
    return { requestId: record.requestId, outcome };
  }
  const command = record.command;
  // A command seen again (a producer retry that slipped through) keeps its first outcome.
  const seen = state.outcomes.get(command.requestId);
  if (seen) return { requestId: command.requestId, outcome: seen };
  state.applied++;
  state.firstIssuedAt ??= command.issuedAt;
  let outcome: Outcome;
  try {
    outcome = { ok: true, result: applyCommand(state, command) };
  } catch (err) {
    // Refusals are RegistryErrors thrown before any change; anything else is a bug, reported the
    // same way on every instance since the code and the input are the same.
    const shape = err instanceof RegistryError ? err.toShape() : registryError('STORE_ERROR', `Command failed: ${(err as Error).message}`);
    outcome = { ok: false, error: shape };
  }
  remember(state, command.requestId, outcome);
  return { requestId: command.requestId, outcome };
}

function remember(state: RegistryState, requestId: string, outcome: Outcome): void {
  state.outcomes.set(requestId, outcome);
  if (state.outcomes.size > OUTCOME_MEMORY) state.outcomes.delete(state.outcomes.keys().next().value as string);
}

function applyCommand(state: RegistryState, c: Command): unknown {
  switch (c.op) {
    case 'register': {
      if (c.glue) {
        const names = subjectToGlue(c.subject);
        if (!names || !glueSchemaEntry(state, names.registryName, names.schemaName)) {
          throw new RegistryError('GLUE_SCHEMA_NOT_FOUND', `Schema for subject '${c.subject}' not found; create it with CreateSchema`);
        }
      }
      return commitRegister(state, planRegister(state, c), c.requestId, c.issuedAt);
    }
    case 'deleteVersion':
      return applyDeleteVersion(state, c);
    case 'deleteSubject':
      return applyDeleteSubject(state, c);
    case 'setConfig':
      return applySetConfig(state, c);
    case 'setMode':
      return applySetMode(state, c);
    case 'glueCreateRegistry':
      return applyGlueCreateRegistry(state, c, c.issuedAt);
    case 'glueUpdateRegistry':
      return applyGlueUpdateRegistry(state, c, c.issuedAt);
    case 'glueDeleteRegistry':
      return applyGlueDeleteRegistry(state, c);
    case 'glueCreateSchema':
      return applyGlueCreateSchema(state, c, c.requestId, c.issuedAt);
    case 'glueUpdateSchema':
      return applyGlueUpdateSchema(state, c, c.issuedAt);
    case 'glueDeleteSchema':
      return applyGlueDeleteSchema(state, c);
    case 'gluePutVersionMetadata':
      return applyGluePutVersionMetadata(state, c, c.issuedAt);
    case 'glueRemoveVersionMetadata':
      return applyGlueRemoveVersionMetadata(state, c);
  }
}
