// What every operation receives: the backend and the ARN scope. An operation takes the parsed request
// body and returns the response body; it throws GlueError for refusals.
import type { ArnScope } from '../arn.ts';
import type { GlueBackend } from '../backend.ts';
import type { Input } from '../input.ts';

export interface GlueContext {
  backend: GlueBackend;
  scope: ArnScope;
}

export type GlueOperation = (input: Input, ctx: GlueContext) => Promise<Record<string, unknown>>;

/** An empty NextToken means "from the start", as some clients send it on the first call. */
export const tokenOf = (token: string | undefined): string | undefined => (token === '' ? undefined : token);
