// Glue's constraints on the Schema Registry members (lengths, patterns, ranges from the API
// reference) and the identity structures: RegistryId, SchemaId, SchemaVersionNumber.
import { parseRegistryArn, parseSchemaArn } from './arn.ts';
import { GLUE_COMPATIBILITIES, GLUE_DATA_FORMATS, type GlueCompatibility, type GlueDataFormat } from './backend.ts';
import { invalidInput } from './errors.ts';
import {
  at,
  checkEnum,
  checkRange,
  checkString,
  type Input,
  optBoolean,
  optInteger,
  optString,
  optStringMap,
  optStruct,
  required,
} from './input.ts';

const NAME = { min: 1, max: 255, pattern: /^[a-zA-Z0-9_$#.-]+$/, patternText: '[a-zA-Z0-9-_$#.]+' };
const DESCRIPTION = {
  min: 0,
  max: 2048,
  pattern: /^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]*$/u,
  patternText: String.raw`[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*`,
};
const ARN = { min: 1, max: 10240 };
const DEFINITION = { min: 1, max: 170000, pattern: /\S/, patternText: String.raw`.*\S.*` };
const VERSION_ID = {
  min: 36,
  max: 36,
  pattern: /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/,
  patternText: '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}',
};
// Glue's metadata pattern is [a-zA-Z0-9+-=._./@]+, where `+-=` is the range U+002B..U+003D; kept as is.
const METADATA = { pattern: /^[a-zA-Z0-9+-=._/@]+$/, patternText: '[a-zA-Z0-9+-=._./@]+' };
const MAX_TAGS = 50;

export const MAX_VERSION_NUMBER = 100000;

export const name = (value: string, path: string): string => checkString(value, path, NAME);
export const description = (value: string, path: string): string => checkString(value, path, DESCRIPTION);
export const definition = (value: string, path: string): string => checkString(value, path, DEFINITION);
export const versionId = (value: string, path: string): string => checkString(value, path, VERSION_ID);
export const metadataKey = (value: string, path: string): string => checkString(value, path, { min: 1, max: 128, ...METADATA });
export const metadataValue = (value: string, path: string): string => checkString(value, path, { min: 1, max: 256, ...METADATA });
export const compatibility = (value: string, path: string): GlueCompatibility => checkEnum(value, path, GLUE_COMPATIBILITIES);
export const dataFormat = (value: string, path: string): GlueDataFormat => checkEnum(value, path, GLUE_DATA_FORMATS);

export function optDescription(input: Input, field = 'Description'): string | undefined {
  const v = optString(input, field);
  return v === undefined ? undefined : description(v, field);
}

export function tags(input: Input, field = 'Tags'): Record<string, string> {
  const map = optStringMap(input, field) ?? {};
  const entries = Object.entries(map);
  if (entries.length > MAX_TAGS) throw invalidInput(`'${field}' has ${entries.length} entries; at most ${MAX_TAGS} tags are allowed`);
  for (const [k, v] of entries) {
    checkString(k, `${field} key`, { min: 1, max: 128 });
    checkString(v, `${field}.${k}`, { min: 0, max: 256 });
  }
  return map;
}

export function maxResults(input: Input, max: number, dflt = 25): number {
  const v = optInteger(input, 'MaxResults');
  return v === undefined ? dflt : checkRange(v, 'MaxResults', 1, max);
}

/** RegistryId: RegistryName or RegistryArn (both must then agree). Undefined when the member is absent. */
export function registryId(input: Input, field = 'RegistryId'): string | undefined {
  const id = optStruct(input, field);
  if (!id) return undefined;
  const byName = optString(id, 'RegistryName', field);
  const arn = optString(id, 'RegistryArn', field);
  if (byName !== undefined) name(byName, at(field, 'RegistryName'));
  let byArn: string | undefined;
  if (arn !== undefined) {
    checkString(arn, at(field, 'RegistryArn'), ARN);
    byArn = parseRegistryArn(arn);
    if (byArn === undefined)
      throw invalidInput(
        `'${at(field, 'RegistryArn')}' ${JSON.stringify(arn)} is not a registry ARN (arn:aws:glue:<region>:<account>:registry/<name>)`,
      );
    name(byArn, at(field, 'RegistryArn'));
  }
  if (byName !== undefined && byArn !== undefined && byName !== byArn) {
    throw invalidInput(`'${field}' names registry '${byName}' but its RegistryArn names '${byArn}'`);
  }
  const resolved = byName ?? byArn;
  if (resolved === undefined) throw invalidInput(`'${field}' must have RegistryName or RegistryArn`);
  return resolved;
}

export interface SchemaRef {
  registryName: string;
  schemaName: string;
}

/** SchemaId: SchemaArn, or SchemaName with RegistryName (all given must agree). Undefined when absent. */
export function schemaId(input: Input, field = 'SchemaId'): SchemaRef | undefined {
  const id = optStruct(input, field);
  if (!id) return undefined;
  const arn = optString(id, 'SchemaArn', field);
  const schemaName = optString(id, 'SchemaName', field);
  const registryName = optString(id, 'RegistryName', field);
  if (schemaName !== undefined) name(schemaName, at(field, 'SchemaName'));
  if (registryName !== undefined) name(registryName, at(field, 'RegistryName'));
  if (arn !== undefined) {
    checkString(arn, at(field, 'SchemaArn'), ARN);
    const ref = parseSchemaArn(arn);
    if (!ref)
      throw invalidInput(
        `'${at(field, 'SchemaArn')}' ${JSON.stringify(arn)} is not a schema ARN (arn:aws:glue:<region>:<account>:schema/<registry>/<schema>)`,
      );
    name(ref.registryName, at(field, 'SchemaArn'));
    name(ref.schemaName, at(field, 'SchemaArn'));
    if ((schemaName !== undefined && schemaName !== ref.schemaName) || (registryName !== undefined && registryName !== ref.registryName)) {
      throw invalidInput(`'${field}' SchemaName/RegistryName disagree with its SchemaArn ${JSON.stringify(arn)}`);
    }
    return ref;
  }
  if (schemaName === undefined || registryName === undefined) {
    throw invalidInput(`'${field}' must have SchemaArn, or both SchemaName and RegistryName`);
  }
  return { registryName, schemaName };
}

export function requiredSchemaId(input: Input, field = 'SchemaId'): SchemaRef {
  return required(schemaId(input, field), field);
}

/** SchemaVersionNumber: exactly one of LatestVersion = true or VersionNumber. Undefined when absent. */
export function versionNumber(input: Input, field = 'SchemaVersionNumber'): number | 'latest' | undefined {
  const v = optStruct(input, field);
  if (!v) return undefined;
  const latest = optBoolean(v, 'LatestVersion', field) === true;
  const n = optInteger(v, 'VersionNumber', field);
  if (latest && n !== undefined) throw invalidInput(`'${field}' must have either LatestVersion = true or VersionNumber, not both`);
  if (latest) return 'latest';
  if (n === undefined) throw invalidInput(`'${field}' must have LatestVersion = true or a VersionNumber`);
  return checkRange(n, at(field, 'VersionNumber'), 1, MAX_VERSION_NUMBER);
}
