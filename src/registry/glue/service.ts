// The Glue operations by name, and dispatch without any I/O: (operation, parsed body) in, status and
// JSON body out, with every failure turned into Glue's error shape.
import { GlueError } from './errors.ts';
import { asInput } from './input.ts';
import type { GlueContext, GlueOperation } from './operations/context.ts';
import { putSchemaVersionMetadata, querySchemaVersionMetadata, removeSchemaVersionMetadata } from './operations/metadata.ts';
import { createRegistry, deleteRegistry, getRegistry, listRegistries, updateRegistry } from './operations/registries.ts';
import { createSchema, deleteSchema, getSchema, listSchemas, updateSchema } from './operations/schemas.ts';
import {
  checkSchemaVersionValidity,
  getSchemaByDefinition,
  getSchemaVersion,
  getSchemaVersionsDiff,
  listSchemaVersions,
  registerSchemaVersion,
} from './operations/versions.ts';

export const GLUE_OPERATIONS = {
  CreateRegistry: createRegistry,
  GetRegistry: getRegistry,
  ListRegistries: listRegistries,
  UpdateRegistry: updateRegistry,
  DeleteRegistry: deleteRegistry,
  CreateSchema: createSchema,
  GetSchema: getSchema,
  ListSchemas: listSchemas,
  UpdateSchema: updateSchema,
  DeleteSchema: deleteSchema,
  RegisterSchemaVersion: registerSchemaVersion,
  GetSchemaVersion: getSchemaVersion,
  GetSchemaByDefinition: getSchemaByDefinition,
  ListSchemaVersions: listSchemaVersions,
  CheckSchemaVersionValidity: checkSchemaVersionValidity,
  GetSchemaVersionsDiff: getSchemaVersionsDiff,
  PutSchemaVersionMetadata: putSchemaVersionMetadata,
  QuerySchemaVersionMetadata: querySchemaVersionMetadata,
  RemoveSchemaVersionMetadata: removeSchemaVersionMetadata,
} as const satisfies Record<string, GlueOperation>;

export type GlueOperationName = keyof typeof GLUE_OPERATIONS;

export interface GlueReply {
  status: number;
  /** The exception name when the reply is an error; it goes in `__type` and `x-amzn-ErrorType`. */
  errorType?: string;
  body: Record<string, unknown>;
  /** The error behind an InternalServiceException, for the server's diagnostics; never sent. */
  cause?: unknown;
}

export const isGlueOperation = (name: string): name is GlueOperationName => Object.hasOwn(GLUE_OPERATIONS, name);

export function errorReply(err: unknown): GlueReply {
  if (err instanceof GlueError) {
    // Glue's error body: `__type` names the shape, `Message` (capital M, the shape's member) says why.
    return { status: err.httpStatus, errorType: err.glueType, body: { __type: err.glueType, Message: err.message } };
  }
  const message = 'The registry failed to serve this request; retry, and check the registry logs if it persists';
  return { status: 500, errorType: 'InternalServiceException', body: { __type: 'InternalServiceException', Message: message }, cause: err };
}

export async function dispatchGlue(ctx: GlueContext, operation: string, body: unknown): Promise<GlueReply> {
  try {
    if (!isGlueOperation(operation)) {
      throw new GlueError(
        'UnknownOperationException',
        `Brook's Glue API does not implement '${operation}'; it serves ${Object.keys(GLUE_OPERATIONS).join(', ')}`,
      );
    }
    return { status: 200, body: await GLUE_OPERATIONS[operation](asInput(body), ctx) };
  } catch (err) {
    return errorReply(err);
  }
}
