// A SchemaSource over the AWS Glue Schema Registry API (AWS JSON 1.1, SigV4-signed by the AWS SDK):
// real AWS Glue, or any endpoint speaking that API such as Brook's own registry. The lookup and
// auto-registration flow follows the Glue serde library (by definition, then version, then schema).

import { setTimeout as delay } from 'node:timers/promises';
import type { GlueClientConfig, GlueClient as SdkGlueClient } from '@aws-sdk/client-glue';
import { GlueCompatibility } from '../compatibility/levels.ts';
import { errorMessage, SerdeError, SerdeErrorCode, type SerdeErrorDetails } from './errors.ts';
import type { GlueSchemaName, SchemaSource } from './schema-source.ts';

export { GlueCompatibility };

export interface GlueRegistryClientOptions {
  /** Endpoint URL (e.g. Brook's registry `http://127.0.0.1:8081/glue`); default the AWS one for the region. */
  endpoint?: string;
  /** Signing region. Default: AWS_REGION, else the SDK's default chain; `us-east-1` with an endpoint. */
  region?: string;
  /** Default: the SDK's default credential chain (environment, profile, instance role, ...). */
  credentials?: GlueClientConfig['credentials'];
  /** SDK attempts per call, retrying throttling, 5xx and connection errors. Default 3. */
  maxAttempts?: number;
  /** Per request. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Compatibility mode of schemas this client creates. Default BACKWARD (the Glue serde's). */
  compatibility?: GlueCompatibility;
  /** Description of schemas this client creates. */
  description?: string;
  /** A new version can be PENDING while Glue checks compatibility: poll this often... */
  pendingPollMs?: number;
  /** ...this many times. Defaults 1 000 ms, 10 times (the Glue serde's). */
  pendingPolls?: number;
  /** A ready SDK client to use instead of building one. */
  client?: SdkGlueClient;
}

type Sdk = typeof import('@aws-sdk/client-glue');

interface GlueFault {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

export class GlueRegistryClient implements SchemaSource {
  readonly #opts: GlueRegistryClientOptions;
  #sdk: Promise<{ sdk: Sdk; client: SdkGlueClient }> | undefined;
  #closed = false;

  constructor(opts: GlueRegistryClientOptions = {}) {
    this.#opts = opts;
  }

  async getSchemaByVersionId(schemaVersionId: string): Promise<string> {
    const details = { schemaVersionId };
    const what = `schema version ${schemaVersionId}`;
    const { sdk, client } = await this.#client();
    let out: { SchemaDefinition?: string; DataFormat?: string };
    try {
      out = await client.send(new sdk.GetSchemaVersionCommand({ SchemaVersionId: schemaVersionId }));
    } catch (err) {
      if (errName(err) === 'EntityNotFoundException') {
        throw new SerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, `${what} not found in the Glue schema registry${said(err)}`, {
          ...details,
          registryCode: 'EntityNotFoundException',
          status: status(err),
        });
      }
      throw this.#mapped(err, what, details);
    }
    if (out.DataFormat !== undefined && out.DataFormat !== 'AVRO') {
      throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `${what} is a ${out.DataFormat} schema; this serde reads Avro only`, details);
    }
    if (typeof out.SchemaDefinition !== 'string') {
      throw new SerdeError(SerdeErrorCode.REGISTRY_ERROR, `the Glue schema registry answered ${what} without a SchemaDefinition`, details);
    }
    return out.SchemaDefinition;
  }

  async getOrRegisterVersionId(name: GlueSchemaName, schema: string, autoRegister: boolean): Promise<string> {
    const what = `schema ${name.registryName}/${name.schemaName}`;
    const { sdk, client } = await this.#client();
    const schemaId = { RegistryName: name.registryName, SchemaName: name.schemaName };
    try {
      const found = await client.send(new sdk.GetSchemaByDefinitionCommand({ SchemaId: schemaId, SchemaDefinition: schema }));
      return await this.#available(found.SchemaVersionId, found.Status, what);
    } catch (err) {
      if (!isNotFound(err)) throw this.#mapped(err, what, {});
      if (!autoRegister) {
        throw new SerdeError(
          SerdeErrorCode.SCHEMA_NOT_REGISTERED,
          `this definition is not registered as ${what} and auto-registration is off: register it, or turn auto-registration on${said(err)}`,
          { registryCode: 'EntityNotFoundException' },
        );
      }
    }
    // Not there: a new version of an existing schema, or else a new schema. Two producers may
    // race to create it; the loser registers a version instead, as the Glue serde does.
    try {
      return await this.#registerVersion(sdk, client, schemaId, schema, what);
    } catch (err) {
      if (!isNotFound(err)) throw this.#mapped(err, what, {});
    }
    try {
      const created = await client.send(
        new sdk.CreateSchemaCommand({
          RegistryId: { RegistryName: name.registryName },
          SchemaName: name.schemaName,
          DataFormat: 'AVRO',
          Compatibility: this.#opts.compatibility ?? GlueCompatibility.BACKWARD,
          Description: this.#opts.description,
          SchemaDefinition: schema,
        }),
      );
      return await this.#available(created.SchemaVersionId, created.SchemaVersionStatus, what);
    } catch (err) {
      if (errName(err) === 'AlreadyExistsException') return await this.#registerVersion(sdk, client, schemaId, schema, what);
      if (isNotFound(err)) {
        throw new SerdeError(
          SerdeErrorCode.REGISTRY_ERROR,
          `cannot create ${what}: registry '${name.registryName}' not found; create it first${said(err)}`,
          {
            registryCode: 'EntityNotFoundException',
          },
        );
      }
      throw this.#mapped(err, what, {});
    }
  }

  async getSchemaById(id: number): Promise<string> {
    throw new SerdeError(
      SerdeErrorCode.UNSUPPORTED,
      `a Glue registry cannot serve Confluent schema id ${id}: decode Confluent-framed records with a Confluent schema source`,
      { schemaId: id },
    );
  }

  async getOrRegisterId(subject: string): Promise<number> {
    throw new SerdeError(
      SerdeErrorCode.UNSUPPORTED,
      `a Glue registry cannot register Confluent subject '${subject}': use a Confluent schema source for Confluent framing`,
    );
  }

  close(): void {
    this.#closed = true;
    // Our own SDK client holds keep-alive sockets; an injected one belongs to the caller.
    if (!this.#opts.client) void this.#sdk?.then(({ client }) => client.destroy()).catch(() => {});
  }

  async #registerVersion(
    sdk: Sdk,
    client: SdkGlueClient,
    schemaId: { RegistryName: string; SchemaName: string },
    schema: string,
    what: string,
  ) {
    const out = await client.send(new sdk.RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: schema }));
    return this.#available(out.SchemaVersionId, out.Status, what);
  }

  /** The version id once Glue says AVAILABLE; a FAILURE status means the compatibility check failed. */
  async #available(versionId: string | undefined, status: string | undefined, what: string): Promise<string> {
    if (typeof versionId !== 'string') {
      throw new SerdeError(SerdeErrorCode.REGISTRY_ERROR, `the Glue schema registry answered ${what} without a SchemaVersionId`);
    }
    const polls = this.#opts.pendingPolls ?? 10;
    for (let i = 0; status === 'PENDING' && i < polls && !this.#closed; i++) {
      await delay(this.#opts.pendingPollMs ?? 1000);
      const { sdk, client } = await this.#client();
      try {
        status = (await client.send(new sdk.GetSchemaVersionCommand({ SchemaVersionId: versionId }))).Status;
      } catch (err) {
        throw this.#mapped(err, what, { schemaVersionId: versionId });
      }
    }
    const details = { schemaVersionId: versionId };
    if (status === undefined || status === 'AVAILABLE') return versionId;
    if (status === 'FAILURE') {
      throw new SerdeError(
        SerdeErrorCode.SCHEMA_INCOMPATIBLE,
        `schema version ${versionId} of ${what} failed the registry's compatibility check (status FAILURE)`,
        details,
      );
    }
    throw new SerdeError(
      SerdeErrorCode.REGISTRY_ERROR,
      `schema version ${versionId} of ${what} has status ${status}, not AVAILABLE`,
      details,
    );
  }

  #client(): Promise<{ sdk: Sdk; client: SdkGlueClient }> {
    if (this.#closed) {
      return Promise.reject(new SerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'the Glue schema registry client was closed'));
    }
    // The SDK is loaded on first use: processes that never talk to Glue do not pay for it.
    this.#sdk ??= import('@aws-sdk/client-glue').then((sdk) => {
      const o = this.#opts;
      const client =
        o.client ??
        new sdk.GlueClient({
          endpoint: o.endpoint,
          region: o.region ?? process.env.AWS_REGION ?? (o.endpoint ? 'us-east-1' : undefined),
          credentials: o.credentials,
          maxAttempts: o.maxAttempts ?? 3,
          requestHandler: { requestTimeout: o.requestTimeoutMs ?? 10_000, connectionTimeout: o.requestTimeoutMs ?? 10_000 },
        });
      return { sdk, client };
    });
    return this.#sdk;
  }

  #mapped(err: unknown, what: string, details: SerdeErrorDetails): SerdeError {
    if (err instanceof SerdeError) return err;
    const n = errName(err);
    const httpStatus = status(err);
    const d = { ...details, status: httpStatus, registryCode: n, cause: err };
    const where = `the Glue schema registry${this.#opts.endpoint ? ` at ${this.#opts.endpoint}` : ''}`;
    if (
      n === 'AccessDeniedException' ||
      n === 'UnrecognizedClientException' ||
      n === 'InvalidSignatureException' ||
      n === 'ExpiredTokenException' ||
      n === 'CredentialsProviderError' ||
      httpStatus === 401 ||
      httpStatus === 403
    ) {
      return new SerdeError(SerdeErrorCode.REGISTRY_AUTH, `${where} refused the credentials for ${what}${said(err)}`, d);
    }
    if (n === 'InvalidInputException') {
      return new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `${where} rejected the input for ${what} as invalid${said(err)}`, d);
    }
    const fault = (err as GlueFault | null)?.$fault;
    if (fault === 'server' || n === 'ThrottlingException' || httpStatus === undefined || this.#closed) {
      // No HTTP status: connection refused or reset, DNS, timeout (after the SDK's own retries).
      return new SerdeError(
        SerdeErrorCode.REGISTRY_UNAVAILABLE,
        `${where} unavailable for ${what}: ${n ? `${n}: ` : ''}${errorMessage(err)}`,
        d,
      );
    }
    return new SerdeError(SerdeErrorCode.REGISTRY_ERROR, `${where} failed ${what} (HTTP ${httpStatus})${said(err)}`, d);
  }
}

function errName(err: unknown): string | undefined {
  const n = (err as GlueFault | null)?.name;
  return typeof n === 'string' ? n : undefined;
}

function status(err: unknown): number | undefined {
  return (err as GlueFault | null)?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  return errName(err) === 'EntityNotFoundException';
}

function said(err: unknown): string {
  const m = (err as GlueFault | null)?.message;
  return typeof m === 'string' && m !== '' ? `: ${m}` : '';
}
