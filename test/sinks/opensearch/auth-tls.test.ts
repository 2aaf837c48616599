// SigV4 and TLS against the fake OpenSearch: the fake recomputes each request's AWS Signature V4
// as the `es` service does (scope, x-amz-date, x-amz-content-sha256, signed headers); and a
// self-signed certificate made with the openssl CLI is trusted only through the sink's CA option.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { OpenSearchError } from '../../../src/sinks/opensearch/errors.ts';
import { OpenSearchSink, type OpenSearchSinkOptions } from '../../../src/sinks/opensearch/sink.ts';
import { FakeOpenSearch } from './fake-opensearch.ts';
import { rec, rows } from './rows.ts';

const AWS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'eu-west-1', service: 'es' };

let fake: FakeOpenSearch | undefined;
const sinks: OpenSearchSink[] = [];
const sink = (opts: OpenSearchSinkOptions) => {
  const s = new OpenSearchSink({ initialBackoffMs: 1, maxBackoffMs: 2, ...opts });
  sinks.push(s);
  return s;
};

afterEach(async () => {
  for (const s of sinks.splice(0)) s.client.close();
  await fake?.close();
  fake = undefined;
});

async function indexSome(s: OpenSearchSink): Promise<void> {
  await s.open();
  for (const r of rows(6)) s.write(rec(r));
  await s.flush();
}

test('SigV4 (es): every request is signed as AWS checks it: Credential scope, x-amz-date, x-amz-content-sha256', async () => {
  fake = await FakeOpenSearch.start({ sigv4: AWS });
  const s = sink({
    url: fake.url,
    auth: { type: 'aws-sigv4', region: 'eu-west-1', credentials: { accessKeyId: AWS.accessKeyId, secretAccessKey: AWS.secretAccessKey } },
  });
  await indexSome(s);
  assert.deepEqual(fake.violations, []);
  assert.equal(fake.indices.size, 3, 'the fake accepted the signed index creations');
  for (const q of fake.requests) {
    assert.match(
      String(q.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    assert.match(String(q.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
    assert.match(String(q.headers['x-amz-content-sha256']), /^[0-9a-f]{64}$/);
    assert.match(String(q.headers.authorization), /SignedHeaders=[^,]*x-amz-content-sha256[^,]*x-amz-date/);
  }
  const bulk = fake.requests.find((q) => q.path === '/_bulk')!;
  assert.match(
    String(bulk.headers.authorization),
    /SignedHeaders=accept;content-length;content-type;host;x-amz-content-sha256;x-amz-date, /,
  );
});

test('SigV4 with a session token signs x-amz-security-token too', async () => {
  fake = await FakeOpenSearch.start({ sigv4: { ...AWS, sessionToken: 'TOKEN/xyz+=' } });
  const s = sink({
    url: fake.url,
    auth: {
      type: 'aws-sigv4',
      region: 'eu-west-1',
      credentials: { accessKeyId: AWS.accessKeyId, secretAccessKey: AWS.secretAccessKey, sessionToken: 'TOKEN/xyz+=' },
    },
  });
  await indexSome(s);
  assert.deepEqual(fake.violations, []);
});

test('SigV4 takes credentials from the default AWS chain (here: the environment)', async () => {
  fake = await FakeOpenSearch.start({ sigv4: AWS });
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  try {
    const s = sink({ url: fake.url, auth: { type: 'aws-sigv4', region: 'eu-west-1' } });
    await indexSome(s);
  } finally {
    process.env = saved;
  }
  assert.equal(fake.indices.size, 3);
});

test('a wrong secret: OpenSearch answers 403 and open() says to check the credentials', async () => {
  fake = await FakeOpenSearch.start({ sigv4: AWS });
  const s = sink({
    url: fake.url,
    auth: { type: 'aws-sigv4', region: 'eu-west-1', credentials: { accessKeyId: AWS.accessKeyId, secretAccessKey: 'wrong' } },
  });
  await assert.rejects(s.open(), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'AUTH');
    assert.match(err.message, /HTTP 403, The request signature we calculated does not match.*AWS SigV4 \(es, eu-west-1\)/);
    return true;
  });
});

function openssl(): string | undefined {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

const sslVersion = openssl();
const dir = mkdtempSync(join(tmpdir(), 'brook-os-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function selfSigned(): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=brook-test-opensearch',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

test('TLS with a custom CA: trusted through caFile; without it the error says to pass --ca', {
  skip: sslVersion ? false : 'the openssl CLI is not installed, so no certificate can be made for this test',
}, async () => {
  const tls = selfSigned();
  fake = await FakeOpenSearch.start({ tls });
  assert.match(fake.url, /^https:/);
  const trusted = sink({ url: fake.url, caFile: tls.certFile });
  await indexSome(trusted);
  assert.equal(fake.indices.size, 3);
  assert.deepEqual(fake.violations, []);

  const untrusted = sink({ url: fake.url });
  await assert.rejects(untrusted.open(), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'TLS');
    assert.equal(err.retriable, false);
    assert.match(err.message, /TLS to https:\/\/127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT.*--ca FILE/);
    return true;
  });
  // The PEM text works as well as the file.
  const inline = sink({ url: fake.url, ca: tls.cert });
  await inline.open();
});
