// The store behind the Glue API: implements the Glue layer's GlueBackend with store commands and
// reads, and turns the store's RegistryErrors into the Glue exception each one means.
import type {
  DefinitionCheck,
  GlueBackend,
  GlueCompatibility,
  GlueDataFormat,
  MetadataRecord,
  RegistryRecord,
  SchemaRecord,
  SchemaVersionRecord,
} from '../glue/backend.ts';
import { GlueError, type GlueErrorType } from '../glue/errors.ts';
import type { RegisterResult } from './apply-register.ts';
import { RegistryError, type RegistryErrorName } from './errors.ts';
import { glueSubject } from './glue-mapping.ts';
import { parseSchema } from './schema-rules.ts';
import type { SchemaStore } from './store.ts';

const GLUE_TYPE: Partial<Record<RegistryErrorName, GlueErrorType>> = {
  SUBJECT_NOT_FOUND: 'EntityNotFoundException',
  VERSION_NOT_FOUND: 'EntityNotFoundException',
  SCHEMA_NOT_FOUND: 'EntityNotFoundException',
  GLUE_REGISTRY_NOT_FOUND: 'EntityNotFoundException',
  GLUE_SCHEMA_NOT_FOUND: 'EntityNotFoundException',
  GLUE_VERSION_NOT_FOUND: 'EntityNotFoundException',
  GLUE_METADATA_NOT_FOUND: 'EntityNotFoundException',
  GLUE_ALREADY_EXISTS: 'AlreadyExistsException',
  GLUE_LIMIT_EXCEEDED: 'ResourceNumberLimitExceededException',
  GLUE_INVALID_INPUT: 'InvalidInputException',
  INVALID_SCHEMA: 'InvalidInputException',
  INCOMPATIBLE_SCHEMA: 'InvalidInputException',
  COMPATIBILITY_DISABLED: 'InvalidInputException',
  OPERATION_NOT_PERMITTED: 'InvalidInputException',
  INVALID_SUBJECT: 'InvalidInputException',
  ID_DOES_NOT_MATCH: 'InvalidInputException',
};

/** A store refusal as the Glue exception it means; Kafka trouble (50001/50002) is internal. */
export function toGlueError(err: unknown): unknown {
  if (!(err instanceof RegistryError)) return err;
  return new GlueError(GLUE_TYPE[err.code] ?? 'InternalServiceException', err.message, { cause: err });
}

async function glue<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toGlueError(err);
  }
}

export function createGlueBackend(store: SchemaStore): GlueBackend {
  return {
    createRegistry: ({ name, description, tags }) =>
      glue(
        async () =>
          (await store.execute({
            op: 'glueCreateRegistry',
            name,
            ...(description !== undefined ? { description } : {}),
            tags,
          })) as RegistryRecord,
      ),
    getRegistry: (name) => glue(() => store.glueRegistry(name)),
    listRegistries: () => glue(() => store.glueRegistries()),
    updateRegistry: (name, description) =>
      glue(async () => (await store.execute({ op: 'glueUpdateRegistry', name, description })) as RegistryRecord),
    deleteRegistry: (name) => glue(async () => (await store.execute({ op: 'glueDeleteRegistry', name })) as RegistryRecord),

    createSchema: (input) =>
      glue(async () => {
        const { registryName, schemaName, dataFormat, compatibility, description, tags, definition } = input;
        return (await store.execute({
          op: 'glueCreateSchema',
          registryName,
          schemaName,
          dataFormat,
          compatibility,
          ...(description !== undefined ? { description } : {}),
          tags,
          ...(definition !== undefined ? { definition } : {}),
        })) as { schema: SchemaRecord; version?: SchemaVersionRecord };
      }),
    getSchema: (registryName, schemaName) => glue(() => store.glueSchema(registryName, schemaName)),
    listSchemas: (registryName) => glue(() => store.glueSchemas(registryName)),
    updateSchema: (registryName, schemaName, changes: { compatibility?: GlueCompatibility; description?: string }) =>
      glue(async () => (await store.execute({ op: 'glueUpdateSchema', registryName, schemaName, ...changes })) as SchemaRecord),
    deleteSchema: (registryName, schemaName) =>
      glue(async () => (await store.execute({ op: 'glueDeleteSchema', registryName, schemaName })) as SchemaRecord),

    registerSchemaVersion: (registryName, schemaName, definition) =>
      glue(async () => {
        const subject = glueSubject(registryName, schemaName);
        const r = (await store.execute({
          op: 'register',
          subject,
          schema: definition,
          schemaType: 'AVRO',
          references: [],
          normalize: false,
          glue: true,
        })) as RegisterResult;
        return store.glueVersionById(r.versionId);
      }),
    getSchemaVersionById: (versionId) => glue(() => store.glueVersionById(versionId)),
    getSchemaVersion: (registryName, schemaName, version) => glue(() => store.glueVersion(registryName, schemaName, version)),
    getSchemaVersionByDefinition: (registryName, schemaName, definition) =>
      glue(() => store.glueVersionByDefinition(registryName, schemaName, definition)),
    listSchemaVersions: (registryName, schemaName) => glue(() => store.glueVersions(registryName, schemaName)),
    checkDefinition: (dataFormat: GlueDataFormat, definition) =>
      glue(async (): Promise<DefinitionCheck> => {
        if (dataFormat !== 'AVRO') {
          throw new GlueError(
            'InvalidInputException',
            `DataFormat ${dataFormat} is not supported yet: Brook's registry stores AVRO schemas only`,
          );
        }
        try {
          parseSchema(definition, 'AVRO');
          return { valid: true };
        } catch (err) {
          if (err instanceof RegistryError) return { valid: false, error: err.message };
          throw err;
        }
      }),

    putVersionMetadata: (versionId, key, value) =>
      glue(async () => (await store.execute({ op: 'gluePutVersionMetadata', versionId, key, value })) as MetadataRecord),
    listVersionMetadata: (versionId) => glue(() => store.glueVersionMetadata(versionId)),
    removeVersionMetadata: (versionId, key, value) =>
      glue(async () => (await store.execute({ op: 'glueRemoveVersionMetadata', versionId, key, value })) as MetadataRecord),
  };
}
