// AWS Signature V4 for Amazon OpenSearch Service, with the AWS SDK's own signer and default
// credential chain, loaded only when a user asks for SigV4. The payload hash goes in
// x-amz-content-sha256, which the service accepts for `es` and requires for `aoss`.
import { createHash, createHmac } from 'node:crypto';
import type { RequestToSign, Signer } from './auth.ts';
import { OpenSearchError } from './errors.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface SigV4Options {
  region: string;
  service?: string;
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Signing time; tests pin it. */
  now?: () => Date;
}

/** The signer's hash: SHA-256, or HMAC-SHA-256 when given a key (the SDK's Hash contract). */
class Sha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export async function sigV4Signer(opts: SigV4Options): Promise<Signer> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const credentials = opts.credentials ?? (await import('@aws-sdk/credential-provider-node')).defaultProvider();
  const service = opts.service ?? 'es';
  const signer = new SignatureV4({ service, region: opts.region, credentials, sha256: Sha256, applyChecksum: true });
  return async (req: RequestToSign) => {
    const port = req.url.port === '' ? undefined : Number(req.url.port);
    try {
      const signed = await signer.sign(
        {
          method: req.method,
          protocol: req.url.protocol,
          hostname: req.url.hostname,
          ...(port === undefined ? {} : { port }),
          path: req.path,
          query: req.query,
          headers: { ...req.headers },
          ...(req.body === undefined ? {} : { body: req.body }),
        },
        opts.now ? { signingDate: opts.now() } : {},
      );
      return signed.headers as Record<string, string>;
    } catch (err) {
      throw new OpenSearchError(
        'AWS_CREDENTIALS',
        `cannot sign the request for ${service} in ${opts.region}: ${(err as Error).message}. ` +
          'Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where an instance or task role is available.',
        { cause: err },
      );
    }
  };
}
