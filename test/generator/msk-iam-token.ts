// Checks an MSK IAM OAUTHBEARER token the way the test can without AWS: base64url of a presigned
// `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&...` URL of the right shape
// (aws-msk-iam-sasl-signer-js, AWS's aws-msk-iam-auth README), whose SigV4 signature is recomputed.
import { createHash, createHmac } from 'node:crypto';

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

/** RFC 3986 encoding, as SigV4's canonical query string wants it. */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** Returns the access key id the token was signed with; throws saying what is wrong. */
export function checkMskIamToken(token: string, creds: AwsTestCredentials, now = Date.now()): string {
  expect(/^[A-Za-z0-9_-]+$/.test(token), 'not unpadded base64url');
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const url = new URL(text);
  const q = url.searchParams;
  const host = `kafka.${creds.region}.amazonaws.com`;
  expect(text.startsWith(`https://${host}/?Action=kafka-cluster%3AConnect&`), `not a kafka-cluster:Connect URL for ${host}: ${text}`);
  expect(url.protocol === 'https:' && url.host === host && url.pathname === '/', `not https://${host}/: ${url.origin}${url.pathname}`);
  expect(q.get('Action') === 'kafka-cluster:Connect', `Action ${q.get('Action')}`);
  expect(q.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256', `X-Amz-Algorithm ${q.get('X-Amz-Algorithm')}`);
  const date = q.get('X-Amz-Date') ?? '';
  const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  expect(d !== null, `X-Amz-Date ${date}`);
  const signedAt = Date.UTC(+d![1]!, +d![2]! - 1, +d![3]!, +d![4]!, +d![5]!, +d![6]!);
  expect(Math.abs(now - signedAt) < 5 * 60_000, `X-Amz-Date ${date} is not now`);
  const day = date.slice(0, 8);
  const scope = `${day}/${creds.region}/kafka-cluster/aws4_request`;
  expect(q.get('X-Amz-Credential') === `${creds.accessKeyId}/${scope}`, `X-Amz-Credential ${q.get('X-Amz-Credential')}`);
  const expires = Number(q.get('X-Amz-Expires'));
  expect(Number.isInteger(expires) && expires > 0 && expires <= 900, `X-Amz-Expires ${q.get('X-Amz-Expires')}`);
  expect(q.get('X-Amz-SignedHeaders') === 'host', `X-Amz-SignedHeaders ${q.get('X-Amz-SignedHeaders')}`);
  expect(q.get('X-Amz-Security-Token') === (creds.sessionToken ?? null), 'X-Amz-Security-Token');
  expect(/^aws-msk-iam-sasl-signer-js\/\d+\.\d+\.\d+$/.test(q.get('User-Agent') ?? ''), `User-Agent ${q.get('User-Agent')}`);
  const signature = q.get('X-Amz-Signature') ?? '';
  expect(/^[0-9a-f]{64}$/.test(signature), `X-Amz-Signature ${signature}`);

  // SigV4 query-string signing; User-Agent is added after signing, so it is not part of it.
  const canonicalQuery = [...q]
    .filter(([k]) => k !== 'X-Amz-Signature' && k !== 'User-Agent')
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const emptyBody = createHash('sha256').update('').digest('hex');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}`, '', 'host', emptyBody].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  let key: Buffer = Buffer.from(`AWS4${creds.secretAccessKey}`);
  for (const part of [day, creds.region, 'kafka-cluster', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  expect(createHmac('sha256', key).update(stringToSign).digest('hex') === signature, 'X-Amz-Signature does not match the secret key');
  return creds.accessKeyId;
}
