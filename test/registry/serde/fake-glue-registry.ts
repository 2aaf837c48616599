// A tiny AWS Glue Schema Registry for the serde tests, speaking AWS JSON 1.1 as the AWS SDK does:
// POST / with X-Amz-Target: AWSGlue.<Operation>, JSON bodies, errors as HTTP 400 with __type.
// Only the four operations the serde uses; requests are recorded with their headers.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Version {
  id: string;
  definition: string;
  number: number;
  status: 'AVAILABLE' | 'PENDING' | 'FAILURE';
  /** GetSchemaVersion calls left before a PENDING version turns AVAILABLE. */
  pendingPolls: number;
  schemaArn: string;
}

export interface GlueRequest {
  target: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

export interface FakeGlueRegistry {
  endpoint: string;
  requests: GlueRequest[];
  count(operation: string): number;
  /** Adds a version directly; returns its UUID. */
  addVersion(registryName: string, schemaName: string, definition: string, id?: string): string;
  /** New versions start PENDING and need this many GetSchemaVersion polls to become AVAILABLE. */
  pendingPolls: number;
  /** Definitions for which registration ends in FAILURE (compatibility check failed). */
  failDefinition: (definition: string) => boolean;
  /** The next requests fail with this exception (default HTTP 500 InternalServiceException). */
  failNext(n: number, type?: string, status?: number): void;
  close(): Promise<void>;
}

export async function startFakeGlueRegistry(): Promise<FakeGlueRegistry> {
  const registries = new Map<string, Map<string, Version[]>>([['default-registry', new Map()]]);
  const byId = new Map<string, Version & { registryName: string; schemaName: string }>();
  const requests: GlueRequest[] = [];
  let failures = 0;
  let failure = { type: 'InternalServiceException', status: 500 };

  const normalize = (s: string) => {
    try {
      return JSON.stringify(JSON.parse(s));
    } catch {
      return s;
    }
  };

  const addVersion = (
    registryName: string,
    schemaName: string,
    definition: string,
    status: Version['status'],
    id: string = randomUUID(),
  ) => {
    const schemas = registries.get(registryName)!;
    const versions = schemas.get(schemaName) ?? [];
    const v: Version = {
      id,
      definition,
      number: versions.length + 1,
      status,
      pendingPolls: fake.pendingPolls,
      schemaArn: `arn:aws:glue:us-east-1:123456789012:schema/${registryName}/${schemaName}`,
    };
    versions.push(v);
    schemas.set(schemaName, versions);
    byId.set(id, { ...v, registryName, schemaName });
    return byId.get(id)!;
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, any>;
      requests.push({ target, body, headers: req.headers });
      const send = (status: number, payload: unknown, errorType?: string) => {
        const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() };
        if (errorType) headers['x-amzn-errortype'] = errorType;
        res.writeHead(status, headers);
        res.end(JSON.stringify(payload));
      };
      const fail = (type: string, message: string, status = 400) => send(status, { __type: type, Message: message }, type);
      if (failures > 0) {
        failures--;
        return fail(failure.type, `injected ${failure.type}`, failure.status);
      }
      const op = target.replace(/^AWSGlue\./, '');
      switch (op) {
        case 'GetSchemaVersion': {
          const v = byId.get(String(body.SchemaVersionId));
          if (!v) return fail('EntityNotFoundException', 'Schema version is not found.');
          const live = registries
            .get(v.registryName)!
            .get(v.schemaName)!
            .find((x) => x.id === v.id)!;
          if (live.status === 'PENDING' && --live.pendingPolls <= 0) live.status = 'AVAILABLE';
          return send(200, {
            SchemaVersionId: v.id,
            SchemaDefinition: v.definition,
            DataFormat: 'AVRO',
            SchemaArn: v.schemaArn,
            VersionNumber: v.number,
            Status: live.status,
            CreatedTime: '2024-01-01T00:00:00.000Z',
          });
        }
        case 'GetSchemaByDefinition': {
          const { RegistryName = 'default-registry', SchemaName } = body.SchemaId ?? {};
          const versions = registries.get(RegistryName)?.get(SchemaName);
          if (!versions) return fail('EntityNotFoundException', 'Schema is not found.');
          const v = versions.find((x) => normalize(x.definition) === normalize(String(body.SchemaDefinition)));
          if (!v) return fail('EntityNotFoundException', 'Schema version is not found.');
          return send(200, {
            SchemaVersionId: v.id,
            SchemaArn: v.schemaArn,
            DataFormat: 'AVRO',
            Status: v.status,
            CreatedTime: '2024-01-01T00:00:00.000Z',
          });
        }
        case 'RegisterSchemaVersion': {
          const { RegistryName = 'default-registry', SchemaName } = body.SchemaId ?? {};
          const versions = registries.get(RegistryName)?.get(SchemaName);
          if (!versions) return fail('EntityNotFoundException', 'Schema is not found.');
          const definition = String(body.SchemaDefinition);
          const existing = versions.find((x) => normalize(x.definition) === normalize(definition));
          const v =
            existing ??
            addVersion(
              RegistryName,
              SchemaName,
              definition,
              fake.failDefinition(definition) ? 'FAILURE' : fake.pendingPolls > 0 ? 'PENDING' : 'AVAILABLE',
            );
          return send(200, { SchemaVersionId: v.id, VersionNumber: v.number, Status: v.status });
        }
        case 'CreateSchema': {
          const registryName = body.RegistryId?.RegistryName ?? 'default-registry';
          const schemas = registries.get(registryName);
          if (!schemas) return fail('EntityNotFoundException', `Registry is not found. RegistryName: ${registryName}`);
          if (schemas.has(body.SchemaName)) return fail('AlreadyExistsException', 'Schema already exists.');
          if (body.DataFormat !== 'AVRO') return fail('InvalidInputException', 'DataFormat must be AVRO');
          try {
            JSON.parse(String(body.SchemaDefinition));
          } catch {
            return fail('InvalidInputException', 'Schema definition of AVRO data format is invalid');
          }
          const v = addVersion(registryName, body.SchemaName, String(body.SchemaDefinition), 'AVAILABLE');
          return send(200, {
            RegistryName: registryName,
            SchemaName: body.SchemaName,
            SchemaArn: v.schemaArn,
            DataFormat: 'AVRO',
            Compatibility: body.Compatibility ?? 'BACKWARD',
            SchemaCheckpoint: 1,
            LatestSchemaVersion: 1,
            NextSchemaVersion: 2,
            SchemaStatus: 'AVAILABLE',
            SchemaVersionId: v.id,
            SchemaVersionStatus: 'AVAILABLE',
          });
        }
        default:
          return fail('UnknownOperationException', `unknown operation ${target}`);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeGlueRegistry = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    count: (operation) => requests.filter((r) => r.target === `AWSGlue.${operation}`).length,
    addVersion: (registryName, schemaName, definition, id) => addVersion(registryName, schemaName, definition, 'AVAILABLE', id).id,
    pendingPolls: 0,
    failDefinition: () => false,
    failNext(n, type = 'InternalServiceException', status = 500) {
      failures = n;
      failure = { type, status };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
