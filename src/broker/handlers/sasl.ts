// SaslHandshake and SaslAuthenticate (KIP-152): drive the connection's SASL session. A refused
// mechanism or credential is answered with the error, then the connection is closed. With
// connections.max.reauth.ms set, a login gets a session lifetime and the client re-authenticates
// on the same connection with a new SaslHandshake and SaslAuthenticate (KIP-368).
import { channel } from 'node:diagnostics_channel';
import { SaslAuthenticate } from '../../protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { SaslAuthenticationError } from '../../security/sasl-errors.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const events = channel('brook:broker');

export function saslHandshakeHandler(): ApiHandler {
  return {
    api: SaslHandshake,
    errorResponse: (_req, code) => ({ errorCode: code, mechanisms: [] }),
    handle(ctx, req) {
      const session = ctx.session;
      const sasl = session.sasl;
      // On an authenticated connection a handshake starts a re-authentication, if Kafka would allow one.
      if (sasl?.state === 'complete') session.beginReauthentication();
      if (sasl?.state !== 'handshake') {
        // As Kafka: not a SASL listener, a second handshake, or no re-authentication configured.
        ctx.closeAfterResponse('SaslHandshake outside a SASL handshake');
        return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: sasl ? [...sasl.enabled] : [] };
      }
      if (!sasl.handshake(req.mechanism)) {
        ctx.closeAfterResponse(`SASL mechanism ${req.mechanism} is not enabled on listener ${session.listenerName}`);
        return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [...sasl.enabled] };
      }
      return { errorCode: ErrorCode.NONE, mechanisms: [...sasl.enabled] };
    },
  };
}

export function saslAuthenticateHandler(services: BrokerServices): ApiHandler {
  const body = (errorCode: number, errorMessage: string | null, authBytes: Buffer = Buffer.alloc(0), sessionLifetimeMs = 0) => ({
    errorCode,
    errorMessage,
    authBytes,
    sessionLifetimeMs: BigInt(sessionLifetimeMs),
  });
  return {
    api: SaslAuthenticate,
    errorResponse: (_req, code) => body(code, null),
    async handle(ctx, req) {
      const session = ctx.session;
      const sasl = session.sasl;
      if (sasl?.state !== 'authenticating') {
        ctx.closeAfterResponse('SaslAuthenticate outside a SASL exchange');
        return body(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate is only valid after a successful SaslHandshake');
      }
      try {
        const renewal = session.reauthenticating;
        const step = await sasl.step(req.authBytes as Buffer);
        if (step.user === undefined) return body(ErrorCode.NONE, null, step.reply);
        // Kafka sets the lifetime whatever the version: a v0 client, which cannot see it, is closed when it ends.
        const lifetimeMs = services.config.connectionsMaxReauthMs;
        session.completeSasl(step.user, lifetimeMs);
        events.publish({
          type: renewal ? 'reauthenticated' : 'authenticated',
          id: ctx.connectionId,
          host: ctx.clientHost,
          listener: session.listenerName,
          mechanism: sasl.mechanism,
          principal: session.principalName,
          sessionLifetimeMs: lifetimeMs,
        });
        return body(ErrorCode.NONE, null, step.reply, lifetimeMs);
      } catch (err) {
        if (!(err instanceof SaslAuthenticationError)) throw err;
        ctx.closeAfterResponse(`SASL ${sasl.mechanism} authentication failed: ${err.message}`);
        return body(ErrorCode.SASL_AUTHENTICATION_FAILED, err.message);
      }
    },
  };
}
