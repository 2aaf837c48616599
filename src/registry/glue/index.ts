// The Glue-compatible API: the handler the registry server mounts, the request predicate its router
// uses, and the backend interface the store is adapted to.
export { parseRegistryArn, parseSchemaArn, registryArn, schemaArn } from './arn.ts';
export type {
  DefinitionCheck,
  GlueBackend,
  GlueCompatibility,
  GlueDataFormat,
  MetadataRecord,
  RegistryRecord,
  SchemaRecord,
  SchemaVersionRecord,
} from './backend.ts';
export { DEFAULT_REGISTRY, GLUE_COMPATIBILITIES, GLUE_DATA_FORMATS } from './backend.ts';
export { GLUE_BACKEND_ERRORS, type GlueBackendErrorType, GlueError, type GlueErrorType } from './errors.ts';
export { createGlueHandler, type GlueHandler, type GlueHandlerOptions, isGlueRequest } from './handler.ts';
export { dispatchGlue, GLUE_OPERATIONS, type GlueOperationName, type GlueReply } from './service.ts';
