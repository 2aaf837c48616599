// A failure of one part of `brook up`, named, so the message says which part and what to do.
import { BrookError } from '../common/errors.ts';

export type Part =
  | 'configuration'
  | 'data directory'
  | 'security'
  | 'broker'
  | 'registry'
  | 'topics'
  | 'processor'
  | 'dashboard'
  | 'generator';

export class PlatformError extends BrookError {
  readonly part: Part;
  /** The message without the part's name in front. */
  readonly detail: string;
  constructor(part: Part, message: string, options?: { cause?: unknown }) {
    super('PLATFORM', `${part}: ${message}`, options);
    this.name = 'PlatformError';
    this.part = part;
    this.detail = message;
  }
}

/** A part's error as a PlatformError naming it (its own message kept). */
export function partError(part: Part, err: unknown): PlatformError {
  if (err instanceof PlatformError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PlatformError(part, message, { cause: err });
}
