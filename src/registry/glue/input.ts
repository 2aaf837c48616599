// Reading a request body's members: a member of the wrong JSON type is a SerializationException (the
// body does not fit the shape, as AWS answers), a well-typed value breaking a Glue constraint is an
// InvalidInputException whose message names the member, the constraint and the value.
import { GlueError, invalidInput } from './errors.ts';

export type Input = Record<string, unknown>;

const isObject = (v: unknown): v is Input => typeof v === 'object' && v !== null && !Array.isArray(v);

const shapeError = (path: string, expected: string, v: unknown): GlueError =>
  new GlueError(
    'SerializationException',
    `'${path}' must be ${expected}, got ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'null' : typeof v}`,
  );

const member = (input: Input, name: string): unknown => (Object.hasOwn(input, name) ? input[name] : undefined);

/** Joins a parent path and a member name the way the messages show them: `SchemaId.SchemaName`. */
export const at = (parent: string, name: string): string => (parent ? `${parent}.${name}` : name);

export function asInput(body: unknown): Input {
  if (!isObject(body)) throw new GlueError('SerializationException', 'the request body must be a JSON object');
  return body;
}

export function optStruct(input: Input, name: string, parent = ''): Input | undefined {
  const v = member(input, name);
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw shapeError(at(parent, name), 'an object', v);
  return v;
}

export function optString(input: Input, name: string, parent = ''): string | undefined {
  const v = member(input, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw shapeError(at(parent, name), 'a string', v);
  return v;
}

export function optBoolean(input: Input, name: string, parent = ''): boolean | undefined {
  const v = member(input, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw shapeError(at(parent, name), 'a boolean', v);
  return v;
}

export function optInteger(input: Input, name: string, parent = ''): number | undefined {
  const v = member(input, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw shapeError(at(parent, name), 'an integer', v);
  return v;
}

export function optList(input: Input, name: string, parent = ''): unknown[] | undefined {
  const v = member(input, name);
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw shapeError(at(parent, name), 'a list', v);
  return v;
}

/** A string-to-string map, copied onto a fresh object so that a `__proto__` key stays a plain key. */
export function optStringMap(input: Input, name: string, parent = ''): Record<string, string> | undefined {
  const v = member(input, name);
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw shapeError(at(parent, name), 'a map', v);
  const entries = Object.entries(v);
  for (const [k, value] of entries) if (typeof value !== 'string') throw shapeError(`${at(parent, name)}.${k}`, 'a string', value);
  return Object.fromEntries(entries) as Record<string, string>;
}

export function required<T>(value: T | undefined, path: string): T {
  if (value === undefined) throw invalidInput(`'${path}' is required`);
  return value;
}

const show = (v: string): string => (v.length > 80 ? `${JSON.stringify(v.slice(0, 80))}...` : JSON.stringify(v));

/** Length in characters (UTF-16 units, as AWS counts) between min and max, then the pattern if any. */
export function checkString(
  value: string,
  path: string,
  rule: { min: number; max: number; pattern?: RegExp; patternText?: string },
): string {
  if (value.length < rule.min || value.length > rule.max) {
    const bound = value.length < rule.min ? `greater than or equal to ${rule.min}` : `less than or equal to ${rule.max}`;
    throw invalidInput(`Value ${show(value)} at '${path}' failed to satisfy constraint: Member must have length ${bound}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalidInput(
      `Value ${show(value)} at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
    );
  }
  return value;
}

export function checkRange(value: number, path: string, min: number, max: number): number {
  if (value < min)
    throw invalidInput(`Value ${value} at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw invalidInput(`Value ${value} at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}

export function checkEnum<T extends string>(value: string, path: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidInput(
      `Value ${show(value)} at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}
