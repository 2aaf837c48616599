// The client side of a SCRAM exchange (RFC 5802), for tests that drive SaslAuthenticate by hand.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, hmac, type ScramMechanism, saltPassword } from '../../src/security/scram.ts';

export class ScramClient {
  private readonly mechanism: ScramMechanism;
  private readonly user: string;
  private readonly password: string;
  private readonly nonce = randomBytes(18).toString('base64');
  private serverSignature: Buffer | null = null;

  constructor(mechanism: ScramMechanism, user: string, password: string) {
    this.mechanism = mechanism;
    this.user = user;
    this.password = password;
  }

  private get bare(): string {
    return `n=${this.user.replaceAll('=', '=3D').replaceAll(',', '=2C')},r=${this.nonce}`;
  }

  first(): Buffer {
    return Buffer.from(`n,,${this.bare}`);
  }

  async final(serverFirst: Buffer): Promise<Buffer> {
    const text = serverFirst.toString();
    const attrs = new Map(text.split(',').map((p) => [p[0], p.slice(2)] as const));
    const nonce = attrs.get('r') as string;
    const salt = Buffer.from(attrs.get('s') as string, 'base64');
    const iterations = Number(attrs.get('i'));
    const m = this.mechanism;
    const salted = await saltPassword(m, this.password, salt, iterations);
    const clientKey = hmac(m, salted, 'Client Key');
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce}`;
    const authMessage = `${this.bare},${text},${withoutProof}`;
    const signature = hmac(m, hash(m, clientKey), authMessage);
    const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number)));
    this.serverSignature = hmac(m, hmac(m, salted, 'Server Key'), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  /** Checks the server-final message proves the server knows the credential. */
  verify(serverFinal: Buffer): boolean {
    const v = /^v=(.*)$/.exec(serverFinal.toString())?.[1];
    if (!v || !this.serverSignature) return false;
    const got = Buffer.from(v, 'base64');
    return got.length === this.serverSignature.length && timingSafeEqual(got, this.serverSignature);
  }
}
