// Logs a WireClient in with SCRAM (SaslHandshake v1, then SaslAuthenticate), on a fresh connection
// or again on one that is already authenticated (KIP-368 re-authentication).
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { SaslAuthenticate } from '../../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../../src/protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { FrameDecoder, frame } from '../../../src/protocol/framing.ts';
import type { Message } from '../../../src/protocol/schema.ts';
import type { ScramMechanism } from '../../../src/security/scram.ts';
import { ScramClient } from '../../helpers/scram-client.ts';
import { WireClient } from '../../helpers/wire-client.ts';

/** Runs the exchange on `wire`; returns the final SaslAuthenticate response (its error, if refused). */
export async function scramExchange(
  wire: WireClient,
  mechanism: ScramMechanism,
  user: string,
  password: string,
  authenticateVersion = 2,
): Promise<Message> {
  const hs = await wire.send(SaslHandshake, 1, { mechanism });
  assert.equal(hs.errorCode, ErrorCode.NONE, `SaslHandshake answered error ${hs.errorCode}`);
  const client = new ScramClient(mechanism, user, password);
  const first = await wire.send(SaslAuthenticate, authenticateVersion, { authBytes: client.first() });
  if (first.errorCode !== ErrorCode.NONE) return first;
  const final = await wire.send(SaslAuthenticate, authenticateVersion, { authBytes: await client.final(first.authBytes) });
  if (final.errorCode === ErrorCode.NONE) assert.ok(client.verify(final.authBytes), 'the server proves it knows the credential');
  return final;
}

/** A new connection, logged in; fails the test if the login is refused. */
export async function scramLogin(
  port: number,
  mechanism: ScramMechanism,
  user: string,
  password: string,
  authenticateVersion = 2,
): Promise<{ wire: WireClient; final: Message }> {
  const wire = await WireClient.connect(port);
  const final = await scramExchange(wire, mechanism, user, password, authenticateVersion);
  assert.equal(final.errorCode, ErrorCode.NONE, `login as ${user} refused: ${final.errorMessage}`);
  return { wire, final };
}

/**
 * A raw socket for SaslHandshake v0 (KIP-43): after it, SASL tokens go size-prefixed without
 * Kafka headers, which WireClient cannot send. `send` frames bytes; `next` resolves the next frame.
 */
export async function rawFrameSocket(port: number): Promise<{ socket: Socket; send(b: Buffer): void; next(): Promise<Buffer> }> {
  const socket = connect(port, '127.0.0.1');
  const decoder = new FrameDecoder(1 << 20);
  const frames: Buffer[] = [];
  let wake: () => void = () => {};
  socket.on('data', (c) => {
    frames.push(...decoder.push(c));
    wake();
  });
  const next = async () => {
    while (frames.length === 0) await new Promise<void>((r) => (wake = r));
    return frames.shift() as Buffer;
  };
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, send: (b) => void socket.write(Buffer.concat(frame([b]))), next };
}
