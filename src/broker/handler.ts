// The shape of one API handler: decode happens in the connection loop, then the handler
// authorizes, calls a service and returns the response body; every handler can also build a
// correctly shaped error response for any of its versions (architecture habit 3).
import type { ApiDefinition } from '../protocol/api.ts';
import type { RequestHeader } from '../protocol/headers.ts';
import type { Message } from '../protocol/schema.ts';
import type { SecuritySession } from '../security/session.ts';

export interface RequestContext {
  readonly header: RequestHeader;
  readonly apiVersion: number;
  readonly connectionId: number;
  readonly clientHost: string;
  /** `User:<name>` from SASL or the client certificate, else `User:ANONYMOUS`. */
  readonly principal: string;
  /** The connection's listener, authentication state and principal (for the authorizer). */
  readonly session: SecuritySession;
  /** Address of the client's listener, as Metadata and FindCoordinator report it. */
  readonly advertised: { host: string; port: number };
  /** Closes the connection once this request's response has been written (failed SASL). */
  closeAfterResponse(reason: string): void;
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
