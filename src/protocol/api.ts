// An API as Brook implements it: key, name, the version range Brook speaks (and advertises in
// ApiVersions), and the request and response schemas.
import { type Field, type MessageSchema, message, range } from './schema.ts';

export interface ApiDefinition {
  readonly key: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly request: MessageSchema;
  readonly response: MessageSchema;
  isFlexible(version: number): boolean;
}

export interface ApiSpec {
  key: number;
  name: string;
  /** The versions Brook implements, e.g. '3-11'. */
  versions: string;
  /** Flexible versions, e.g. '9+' or 'none'. */
  flexible: string;
  request: Field[];
  response: Field[];
}

export function defineApi(spec: ApiSpec): ApiDefinition {
  const v = range(spec.versions);
  const flex = range(spec.flexible);
  return {
    key: spec.key,
    name: spec.name,
    minVersion: v.min,
    maxVersion: v.max,
    request: message(`${spec.name}Request`, spec.flexible, spec.request),
    response: message(`${spec.name}Response`, spec.flexible, spec.response),
    isFlexible: (version) => version >= flex.min && version <= flex.max,
  };
}
