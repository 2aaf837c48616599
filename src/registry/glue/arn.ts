// Glue ARNs for registries and schemas. One Brook registry is one account in one region, so the
// region and account of an incoming ARN are checked for shape only: names alone identify things.

export interface ArnScope {
  region: string;
  accountId: string;
}

export const registryArn = (scope: ArnScope, registryName: string): string =>
  `arn:aws:glue:${scope.region}:${scope.accountId}:registry/${registryName}`;

export const schemaArn = (scope: ArnScope, registryName: string, schemaName: string): string =>
  `arn:aws:glue:${scope.region}:${scope.accountId}:schema/${registryName}/${schemaName}`;

// Partitions as in Glue's ARN pattern arn:aws(-(cn|us-gov|iso(-[bef])?))?:glue:.*
const PREFIX = '^arn:aws(?:-(?:cn|us-gov|iso(?:-[bef])?))?:glue:[^:]*:[^:]*:';
const REGISTRY_ARN = new RegExp(`${PREFIX}registry/([^/]+)$`);
const SCHEMA_ARN = new RegExp(`${PREFIX}schema/([^/]+)/([^/]+)$`);

/** The registry name in a registry ARN, or undefined if the ARN is not one. */
export function parseRegistryArn(arn: string): string | undefined {
  return REGISTRY_ARN.exec(arn)?.[1];
}

/** The registry and schema names in a schema ARN, or undefined if the ARN is not one. */
export function parseSchemaArn(arn: string): { registryName: string; schemaName: string } | undefined {
  const m = SCHEMA_ARN.exec(arn);
  return m ? { registryName: m[1]!, schemaName: m[2]! } : undefined;
}
