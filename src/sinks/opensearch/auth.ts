// How requests to OpenSearch (and OpenSearch Dashboards) authenticate: HTTP basic, or AWS
// Signature V4 for Amazon OpenSearch Service, whose signer and credential chain load only when used.
import type { AwsCredentials } from './sigv4.ts';

export type OpenSearchAuth =
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'aws-sigv4';
      region: string;
      /** Signing name: 'es' for Amazon OpenSearch Service domains (default), 'aoss' for Serverless. */
      service?: string;
      /** Default: the AWS SDK's default chain (env, SSO, web identity, ini files, ECS/EC2 metadata). */
      credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
    };

/** What a signer sees of a request: everything that goes on the wire. */
export interface RequestToSign {
  method: string;
  url: URL;
  /** Path without the query, as sent. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** Returns the headers to send (the given ones plus the auth ones). */
export type Signer = (req: RequestToSign) => Promise<Record<string, string>>;

export async function createSigner(auth: OpenSearchAuth | undefined): Promise<Signer> {
  if (auth === undefined) return async (req) => req.headers;
  if (auth.type === 'basic') {
    const value = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    return async (req) => ({ ...req.headers, authorization: value });
  }
  const { sigV4Signer } = await import('./sigv4.ts');
  return sigV4Signer(auth);
}

/** For messages: who we are, never the secret. */
export function describeAuth(auth: OpenSearchAuth | undefined): string {
  if (auth === undefined) return 'no authentication';
  if (auth.type === 'basic') return `basic auth as '${auth.username}'`;
  return `AWS SigV4 (${auth.service ?? 'es'}, ${auth.region})`;
}
