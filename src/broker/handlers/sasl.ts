// SaslHandshake and SaslAuthenticate (KIP-152): drive the connection's SASL session. A refused
// mechanism or credential is answered with the error, then the connection is closed. No
// re-authentication (KIP-368): the session lifetime is 0.
import { channel } from 'node:diagnostics_channel';
import { SaslAuthenticate } from '../../protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { SaslAuthenticationError } from '../../security/sasl-errors.ts';
import type { ApiHandler } from '../handler.ts';

const events = channel('brook:broker');

export function saslHandshakeHandler(): ApiHandler {
  return {
    api: SaslHandshake,
    errorResponse: (_req, code) => ({ errorCode: code, mechanisms: [] }),
    handle(ctx, req) {
      const sasl = ctx.session.sasl;
      if (sasl?.state !== 'handshake') {
        // As Kafka: not a SASL listener, or a second handshake (no re-authentication).
        ctx.closeAfterResponse('SaslHandshake outside a SASL handshake');
        return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: sasl ? [...sasl.enabled] : [] };
      }
      if (!sasl.handshake(req.mechanism)) {
        ctx.closeAfterResponse(`SASL mechanism ${req.mechanism} is not enabled on listener ${ctx.session.listenerName}`);
        return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [...sasl.enabled] };
      }
      return { errorCode: ErrorCode.NONE, mechanisms: [...sasl.enabled] };
    },
  };
}

export function saslAuthenticateHandler(): ApiHandler {
  const body = (errorCode: number, errorMessage: string | null, authBytes: Buffer = Buffer.alloc(0)) => ({
    errorCode,
    errorMessage,
    authBytes,
    sessionLifetimeMs: 0n,
  });
  return {
    api: SaslAuthenticate,
    errorResponse: (_req, code) => body(code, null),
    async handle(ctx, req) {
      const sasl = ctx.session.sasl;
      if (sasl?.state !== 'authenticating') {
        ctx.closeAfterResponse('SaslAuthenticate outside a SASL exchange');
        return body(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate is only valid after a successful SaslHandshake, once per connection');
      }
      try {
        const step = await sasl.step(req.authBytes as Buffer);
        if (step.user !== undefined) {
          ctx.session.completeSasl(step.user);
          events.publish({
            type: 'authenticated',
            id: ctx.connectionId,
            host: ctx.clientHost,
            listener: ctx.session.listenerName,
            mechanism: sasl.mechanism,
            principal: ctx.session.principalName,
          });
        }
        return body(ErrorCode.NONE, null, step.reply);
      } catch (err) {
        if (!(err instanceof SaslAuthenticationError)) throw err;
        ctx.closeAfterResponse(`SASL ${sasl.mechanism} authentication failed: ${err.message}`);
        return body(ErrorCode.SASL_AUTHENTICATION_FAILED, err.message);
      }
    },
  };
}
