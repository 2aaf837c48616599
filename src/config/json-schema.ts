// A JSON Schema of brook.config.json, made from the key table, so editors complete and check the
// file when it names the schema in "$schema" (`brook config schema > brook.config.schema.json`).
import { KEYS, type KeySpec } from './keys.ts';
import type { ValueType } from './value-types.ts';

type Schema = Record<string, unknown>;

function typeSchema(t: ValueType): Schema {
  switch (t.kind) {
    case 'integer':
      return { type: 'integer', minimum: t.min, maximum: t.max };
    case 'port':
      return { type: 'integer', minimum: 0, maximum: 65535 };
    case 'number':
      return { type: 'number', exclusiveMinimum: 0, minimum: t.min, maximum: t.max };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { enum: [...t.values] };
    case 'hostPorts':
      return { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] };
    case 'time':
      return { type: ['integer', 'string'] };
    case 'envName':
      return { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
    case 'awsRegion':
      return { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$' };
    case 'duration':
      return { type: 'string', pattern: '^\\d+(s|m|h|d)$' };
    default:
      return { type: 'string', minLength: 1 };
  }
}

function leaf(key: KeySpec): Schema {
  const s = typeSchema(key.type);
  const nullable = key.default === null;
  const withNull = nullable ? (s.type ? { ...s, type: [...[s.type].flat(), 'null'] } : { anyOf: [s, { type: 'null' }] }) : s;
  return { ...withNull, description: key.description, default: key.default };
}

export function configJsonSchema(): Schema {
  const root: Schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Brook configuration (brook.config.json)',
    type: 'object',
    additionalProperties: false,
    properties: { $schema: { type: 'string' } },
  };
  for (const key of KEYS) {
    const parts = key.path.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      const props = node.properties as Record<string, Schema>;
      node = props[p] ??= { type: 'object', additionalProperties: false, properties: {} };
    }
    (node.properties as Record<string, Schema>)[parts.at(-1)!] = leaf(key);
  }
  return root;
}
