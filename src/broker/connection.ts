// One client connection: frames in, requests decoded and handed to their handler at once (so
// pipelined produces share a group-commit fsync), responses written strictly in request order.
// Hostile input closes this connection only; memory is bounded by the broker-wide budget. On a
// SASL listener, nothing but ApiVersions and the SASL exchange is read until it authenticates,
// nor once its login's session lifetime has passed without a re-authentication (KIP-368).

import { channel } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { ProtocolError } from '../common/errors.ts';
import type { ApiDefinition } from '../protocol/api.ts';
import { SaslAuthenticate } from '../protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { FrameDecoder, frame } from '../protocol/framing.ts';
import { API_VERSIONS_KEY, encodeResponse, readHeaderPrefix, readRequestHeader } from '../protocol/headers.ts';
import type { Message } from '../protocol/schema.ts';
import { SaslAuthenticationError } from '../security/sasl-errors.ts';
import type { SecuritySession } from '../security/session.ts';
import type { BrokerConfig } from './config.ts';
import type { ApiHandler, RequestContext } from './handler.ts';
import type { MemoryBudget } from './memory-budget.ts';

const events = channel('brook:broker');

/** Above this many response bytes waiting in the socket, stop reading requests (slow reader). */
const MAX_PENDING_WRITE_BYTES = 64 * 1024 * 1024;

/** All an unauthenticated (or expired, KIP-368) client on a SASL listener may ask for. */
const BEFORE_AUTHENTICATION = new Set([API_VERSIONS_KEY, SaslHandshake.key, SaslAuthenticate.key]);

interface Pending {
  /** Size of the request frame, held against the memory budget until answered. */
  frameBytes: number;
  done: boolean;
  response: Buffer[] | null;
  afterSent: (() => void)[] | null;
}

function runAll(fns: (() => void)[]): void {
  for (const fn of fns) fn();
}

export interface ConnectionDeps {
  readonly config: BrokerConfig;
  readonly handlers: ReadonlyMap<number, ApiHandler>;
  readonly budget: MemoryBudget;
  /** What ApiVersions advertises, also sent when a client asks for an unsupported version. */
  readonly apiVersionsList: () => { apiKey: number; minVersion: number; maxVersion: number }[];
  /** The listener, authentication state and principal of this connection. */
  readonly session: SecuritySession;
  /** Where this connection's listener is advertised. */
  readonly advertised: { host: string; port: number };
}

export class Connection {
  readonly id: number;
  private readonly socket: Socket;
  private readonly deps: ConnectionDeps;
  private readonly decoder: FrameDecoder;
  private readonly abort = new AbortController();
  private readonly queue: Pending[] = [];
  private accounted = 0;
  private inFlightBytes = 0;
  private paused = false;
  private cancelBudgetWait: (() => void) | null = null;
  private closed = false;
  private draining = false;
  private onIdle: (() => void) | null = null;
  /** Set once a response must be the last: later requests are ignored. */
  private closingAfterResponse = false;
  /** SaslHandshake v0 was accepted: frames now carry raw SASL tokens, no Kafka header (KIP-43). */
  private rawSaslTokens = false;
  /** Closes a SASL connection that has not authenticated in time. */
  private authTimer: NodeJS.Timeout | null = null;
  readonly closedPromise: Promise<void>;

  constructor(socket: Socket, id: number, deps: ConnectionDeps) {
    this.socket = socket;
    this.id = id;
    this.deps = deps;
    this.decoder = new FrameDecoder(deps.config.maxRequestBytes);
    socket.setNoDelay(true);
    socket.setTimeout(deps.config.idleTimeoutMs, () => this.close('idle for connections.max.idle.ms'));
    if (!deps.session.authenticated) {
      const ms = deps.config.saslAuthenticationTimeoutMs;
      this.authTimer = setTimeout(() => {
        if (!this.deps.session.authenticated) this.close(`not authenticated within ${ms} ms`);
      }, ms);
      this.authTimer.unref();
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A connection accepted while the budget is spent reads nothing until it frees up, so the
    // most the broker holds is the budget plus one socket read (64 KiB) per connection.
    this.maybePause();
    socket.on('drain', () => this.maybeResume());
    socket.on('error', () => this.close('socket error'));
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.close('peer closed');
        resolve();
      }),
    );
  }

  get clientHost(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.close(err instanceof Error ? err.message : String(err));
      return;
    }
    for (const f of frames) {
      if (this.closed || this.closingAfterResponse) return;
      if (!this.deps.session.authenticated && f.length > this.deps.config.saslMaxReceiveBytes) {
        this.close(`request of ${f.length} bytes before SASL authentication (limit ${this.deps.config.saslMaxReceiveBytes})`);
        return;
      }
      this.onFrame(f);
    }
    // A partial frame counts too: an unauthenticated client cannot make the broker buffer more.
    if (!this.deps.session.authenticated && this.decoder.bufferedBytes > this.deps.config.saslMaxReceiveBytes + 4) {
      this.close(`request larger than ${this.deps.config.saslMaxReceiveBytes} bytes before SASL authentication`);
      return;
    }
    this.account();
    this.maybePause();
  }

  private onFrame(buf: Buffer): void {
    if (this.rawSaslTokens) {
      this.onRawSaslToken(buf);
      return;
    }
    let prefix: { apiKey: number; apiVersion: number; correlationId: number };
    try {
      prefix = readHeaderPrefix(buf);
    } catch {
      this.close('request header truncated');
      return;
    }
    const session = this.deps.session;
    if (!session.authenticated && !BEFORE_AUTHENTICATION.has(prefix.apiKey)) {
      this.refuse(`API key ${prefix.apiKey} before SASL authentication on listener ${session.listenerName}`);
      return;
    }
    if (session.expired && !BEFORE_AUTHENTICATION.has(prefix.apiKey)) {
      // Kafka closes such a connection at its next request; the client reconnects and logs in again.
      this.refuse(
        `SASL session expired after connections.max.reauth.ms (${this.deps.config.connectionsMaxReauthMs} ms) without a re-authentication (KIP-368); the client must log in again`,
      );
      return;
    }
    const handler = this.deps.handlers.get(prefix.apiKey);
    if (!handler) {
      // Kafka closes the connection on an unknown API key: there is no response shape to use.
      this.close(`unknown API key ${prefix.apiKey}`);
      return;
    }
    const api = handler.api;
    if (prefix.apiVersion < api.minVersion || prefix.apiVersion > api.maxVersion) {
      if (prefix.apiKey === API_VERSIONS_KEY) {
        // KIP-511: answer with v0 so the client can pick a version we speak.
        this.enqueue(buf.length, {
          api,
          version: 0,
          correlationId: prefix.correlationId,
          body: { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: this.deps.apiVersionsList() },
        });
        return;
      }
      this.close(`${api.name} v${prefix.apiVersion} is not supported (Brook speaks v${api.minVersion}-v${api.maxVersion})`);
      return;
    }
    const pending: Pending = { frameBytes: buf.length, done: false, response: null, afterSent: null };
    let request: Message;
    let ctx: RequestContext;
    try {
      const { header, body } = readRequestHeader(buf, api);
      request = api.request.read(body, prefix.apiVersion);
      ctx = {
        header,
        apiVersion: prefix.apiVersion,
        connectionId: this.id,
        clientHost: this.clientHost,
        principal: session.principalName,
        session,
        advertised: this.deps.advertised,
        signal: this.abort.signal,
        closeAfterResponse: (reason) => {
          this.closingAfterResponse = true;
          this.refused(reason);
          pending.afterSent ??= [];
          pending.afterSent.push(() => this.close(reason));
        },
        onResponseSent: (fn) => {
          pending.afterSent ??= [];
          pending.afterSent.push(fn);
        },
      };
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.close(`malformed ${api.name} v${prefix.apiVersion} request: ${err.message}`);
        return;
      }
      throw err;
    }
    this.queue.push(pending);
    this.inFlightBytes += buf.length;
    const respond = (body: Message | null) => {
      pending.done = true;
      pending.response = body === null ? null : frame(encodeResponse(api, prefix.apiVersion, prefix.correlationId, body));
      this.flushQueue();
    };
    const fail = (err: unknown) => {
      events.publish({ type: 'handler-error', api: api.name, version: prefix.apiVersion, error: err });
      let body: Message;
      try {
        body = handler.errorResponse(request, ErrorCode.UNKNOWN_SERVER_ERROR);
      } catch {
        this.close(`${api.name} handler failed and could not build an error response`);
        return;
      }
      respond(body);
    };
    try {
      const result = handler.handle(ctx, request);
      if (result instanceof Promise) result.then(respond, fail);
      else respond(result);
    } catch (err) {
      fail(err);
    }
    // KIP-43: after a v0 handshake the client writes bare SASL tokens, each size-prefixed.
    if (prefix.apiKey === SaslHandshake.key && prefix.apiVersion === 0 && session.sasl?.state === 'authenticating') {
      this.rawSaslTokens = true;
    }
  }

  /** A token of the pre-KIP-152 flow: the reply goes back size-prefixed; a refusal just closes. */
  private onRawSaslToken(buf: Buffer): void {
    const sasl = this.deps.session.sasl;
    if (!sasl) return;
    const pending: Pending = { frameBytes: buf.length, done: false, response: null, afterSent: null };
    this.queue.push(pending);
    this.inFlightBytes += buf.length;
    const session = this.deps.session;
    sasl.step(buf).then(
      (step) => {
        if (step.user !== undefined) {
          const renewal = session.reauthenticating;
          const lifetimeMs = this.deps.config.connectionsMaxReauthMs;
          try {
            session.completeSasl(step.user, lifetimeMs);
          } catch (err) {
            this.refuse(`SASL ${sasl.mechanism} authentication failed: ${(err as Error).message}`);
            return;
          }
          this.rawSaslTokens = false;
          events.publish({
            type: renewal ? 'reauthenticated' : 'authenticated',
            id: this.id,
            host: this.clientHost,
            listener: session.listenerName,
            mechanism: sasl.mechanism,
            principal: session.principalName,
            sessionLifetimeMs: lifetimeMs,
          });
        }
        pending.done = true;
        pending.response = frame([step.reply]);
        this.flushQueue();
      },
      (err) => {
        if (!(err instanceof SaslAuthenticationError)) events.publish({ type: 'handler-error', api: 'SASL token', version: 0, error: err });
        this.refuse(`SASL ${sasl.mechanism} authentication failed: ${(err as Error).message}`);
      },
    );
  }

  /** Reports why this connection is refused (a broker log line), without closing it yet. */
  private refused(reason: string): void {
    events.publish({ type: 'connection-refused', id: this.id, host: this.clientHost, listener: this.deps.session.listenerName, reason });
  }

  /** Refuses and closes at once. */
  private refuse(reason: string): void {
    this.refused(reason);
    this.close(reason);
  }

  private enqueue(frameBytes: number, r: { api: ApiDefinition; version: number; correlationId: number; body: Message }): void {
    this.queue.push({
      frameBytes,
      done: true,
      response: frame(encodeResponse(r.api, r.version, r.correlationId, r.body)),
      afterSent: null,
    });
    this.inFlightBytes += frameBytes;
    this.flushQueue();
  }

  private flushQueue(): void {
    if (this.closed) return;
    let wrote = false;
    while (this.queue.length > 0 && (this.queue[0] as Pending).done) {
      const p = this.queue.shift() as Pending;
      this.inFlightBytes -= p.frameBytes;
      if (p.response) {
        if (!wrote) this.socket.cork();
        wrote = true;
        const last = p.response.length - 1;
        for (let i = 0; i < last; i++) this.socket.write(p.response[i] as Buffer);
        const after = p.afterSent;
        // The last chunk's callback means every chunk of this response has been handed over.
        this.socket.write(p.response[last] as Buffer, after ? (err) => !err && runAll(after) : undefined);
      } else if (p.afterSent) {
        runAll(p.afterSent);
      }
    }
    if (wrote) this.socket.uncork();
    if (this.queue.length === 0) this.onIdle?.();
    this.account();
    this.maybeResume();
  }

  /** Keeps this connection's share of the memory budget equal to what it holds. */
  private account(): void {
    const want = this.closed ? 0 : this.decoder.bufferedBytes + this.inFlightBytes;
    const delta = want - this.accounted;
    if (delta > 0) this.deps.budget.take(delta);
    else if (delta < 0) this.deps.budget.release(-delta);
    this.accounted = want;
  }

  private shouldPause(): boolean {
    return (
      this.deps.budget.exhausted ||
      this.queue.length >= this.deps.config.maxInFlightPerConnection ||
      this.socket.writableLength > MAX_PENDING_WRITE_BYTES
    );
  }

  private maybePause(): void {
    if (this.paused || this.closed || !this.shouldPause()) return;
    this.paused = true;
    this.socket.pause();
    this.waitForBudget();
  }

  private waitForBudget(): void {
    if (!this.deps.budget.exhausted || this.cancelBudgetWait) return;
    this.cancelBudgetWait = this.deps.budget.whenAvailable(() => {
      this.cancelBudgetWait = null;
      this.maybeResume();
    });
  }

  private maybeResume(): void {
    if (!this.paused || this.closed) return;
    if (this.draining) return;
    if (this.shouldPause()) {
      this.waitForBudget();
      return;
    }
    this.cancelBudgetWait?.();
    this.cancelBudgetWait = null;
    this.paused = false;
    this.socket.resume();
  }

  /** Closes the connection: pending long polls stop, held memory is returned. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    events.publish({ type: 'connection-closed', id: this.id, host: this.clientHost, reason });
    this.abort.abort();
    this.cancelBudgetWait?.();
    this.queue.length = 0;
    this.inFlightBytes = 0;
    this.account();
    this.socket.destroy();
  }

  /** Stops reading new requests and closes once every response in flight has been written. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.draining = true;
    this.socket.pause();
    const timer = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
    if (this.queue.length > 0) {
      await Promise.race([
        new Promise<void>((r) => {
          this.onIdle = r;
        }),
        timer,
      ]);
    }
    if (!this.closed) {
      // Half-close and wait only until our responses are flushed: a paused socket may never see
      // the peer's end, so waiting for a full close could take the whole timeout.
      const flushed = new Promise<void>((r) => this.socket.end(r));
      await Promise.race([flushed, this.closedPromise, timer]);
    }
    this.close('broker shutting down');
  }
}
