// The shape of one API handler: decode happens in the connection loop, then the handler
// authorizes, calls a service and returns the response body; every handler can also build a
// correctly shaped error response for any of its versions (architecture habit 3).
import type { ApiDefinition } from '../protocol/api.ts';
import type { RequestHeader } from '../protocol/headers.ts';
import type { Message } from '../protocol/schema.ts';

export interface RequestContext {
  readonly header: RequestHeader;
  readonly apiVersion: number;
  readonly connectionId: number;
  readonly clientHost: string;
  /** `User:ANONYMOUS` until the security issue adds authentication. */
  readonly principal: string;
  /** Aborted when the connection closes: long polls stop waiting. */
  readonly signal: AbortSignal;
  /**
   * Runs `fn` once the socket has taken this request's response (Fetch returns its read buffers
   * to the pool then). Not run if the connection closes first.
   */
  onResponseSent(fn: () => void): void;
}

export interface ApiHandler {
  readonly api: ApiDefinition;
  /** Returns the response body, or null for no response (Produce with acks=0). */
  handle(ctx: RequestContext, request: Message): Message | null | Promise<Message | null>;
  /** A response of the right shape for `request` where every entry carries `errorCode`. */
  errorResponse(request: Message, errorCode: number): Message;
}
