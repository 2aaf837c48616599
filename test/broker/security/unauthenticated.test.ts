// Property test: random bytes, random frames and truncated or corrupted SASL exchanges sent to an
// unauthenticated SASL listener. The broker must not crash, must hold at most a few KiB per
// connection, and must still log in a real client afterwards.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { SaslAuthenticate } from '../../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../../src/protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { frame } from '../../../src/protocol/framing.ts';
import { encodeRequest } from '../../../src/protocol/headers.ts';
import { ScramClient } from '../../helpers/scram-client.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import { WireClient } from '../../helpers/wire-client.ts';

/** Writes bytes on a fresh connection; resolves once the broker closes it or it goes quiet. */
function sendRaw(port: number, chunks: Buffer[], quietMs = 60): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve();
    };
    s.on('error', () => {});
    s.on('close', done);
    s.on('data', () => {});
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
      timer = setTimeout(done, quietMs);
    });
  });
}

const req = (api: typeof SaslHandshake, version: number, correlationId: number, body: Record<string, unknown>) =>
  Buffer.concat(frame([encodeRequest(api, { apiKey: api.key, apiVersion: version, correlationId, clientId: 'fuzz' }, body)]));

describe('unauthenticated SASL listener under hostile input', () => {
  let tb: SecureTempBroker;
  let port: number;
  let peakBuffered = 0;
  let sampler: NodeJS.Timeout;

  before(async () => {
    tb = await startSecureBroker([
      {
        name: 'SASL_PLAINTEXT',
        securityProtocol: 'SASL_PLAINTEXT',
        host: '127.0.0.1',
        port: 0,
        saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
      },
    ]);
    port = tb.portOf('SASL_PLAINTEXT');
    await addUser(tb, 'alice', 'alice-secret');
    sampler = setInterval(() => {
      peakBuffered = Math.max(peakBuffered, tb.broker.bufferedRequestBytes);
    }, 2);
  });
  after(async () => {
    clearInterval(sampler);
    await tb.dispose();
  });

  test('random bytes, lying size prefixes and truncated or corrupted SASL exchanges', async () => {
    const handshake = fc
      .constantFrom('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'GSSAPI', '')
      .map((m) => req(SaslHandshake, 1, 1, { mechanism: m }));
    const token = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(`n,,n=${s},r=${s}`)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(`c=biws,r=${s},p=${s}`)),
      fc.string({ maxLength: 100 }).map((s) => Buffer.from(`\0${s}\0${s}`)),
    );
    const exchange = fc
      .tuple(handshake, fc.array(token, { maxLength: 3 }), fc.nat(), fc.integer({ min: 0, max: 3 }))
      .map(([hs, tokens, cut, flip]) => {
        const all = Buffer.concat([hs, ...tokens.map((t, i) => req(SaslAuthenticate, 2, i + 2, { authBytes: t }))]);
        const truncated = all.subarray(0, cut % (all.length + 1));
        if (flip > 0 && truncated.length > 0) {
          const at = cut % truncated.length;
          truncated[at] = (truncated[at] as number) ^ 0xff;
        }
        return [truncated];
      });
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 20_000 }).map((b) => [Buffer.from(b)]);
    const lyingPrefix = fc.integer({ min: 8193, max: 2 ** 31 - 1 }).map((n) => {
      const b = Buffer.alloc(4 + 16_000, 1);
      b.writeInt32BE(n, 0);
      return [b];
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(exchange, garbage, lyingPrefix), async (chunks) => {
        await sendRaw(port, chunks);
      }),
      { numRuns: 300 },
    );
    // Each connection may hold one 8 KiB frame plus one socket read while it is refused.
    assert.ok(peakBuffered <= 256 * 1024, `peak buffered request bytes ${peakBuffered}`);
    // The broker is up and logs in a real client.
    const wire = await WireClient.connect(port);
    assert.equal((await wire.send(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-512' })).errorCode, ErrorCode.NONE);
    const client = new ScramClient('SCRAM-SHA-512', 'alice', 'alice-secret');
    const first = await wire.send(SaslAuthenticate, 2, { authBytes: client.first() });
    const final = await wire.send(SaslAuthenticate, 2, { authBytes: await client.final(first.authBytes) });
    assert.equal(final.errorCode, ErrorCode.NONE);
    wire.close();
  });

  test('many connections each holding a partial frame stay within the per-connection limit', async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const s = connect(port, '127.0.0.1', () => {
              const b = Buffer.alloc(8000, 2);
              b.writeInt32BE(8190, 0);
              s.write(b);
              resolve(s);
            });
            s.on('error', () => {});
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(tb.broker.bufferedRequestBytes <= 50 * 8200, `buffered ${tb.broker.bufferedRequestBytes}`);
    for (const s of sockets) s.destroy();
  });
});
