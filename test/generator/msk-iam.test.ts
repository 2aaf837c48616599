// MSK IAM tokens (src/common/msk-iam.ts): signed by AWS's signer for each authentication, with
// credentials from the environment or a named profile, and a clear error when there are none.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mskIamSasl, regionFromEnv } from '../../src/common/msk-iam.ts';
import { tempDir } from '../helpers/temp-broker.ts';
import { checkMskIamToken } from './msk-iam-token.ts';

const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
];

describe('MSK IAM tokens', () => {
  const dir = tempDir('brook-msk-iam-');
  const saved = new Map<string, string | undefined>();
  // AWS's credential providers read process.env themselves; nothing of the machine's own may leak in.
  before(() => {
    for (const name of AWS_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    process.env.AWS_CONFIG_FILE = join(dir, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-credentials');
  });
  after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('the region comes from AWS_REGION, then AWS_DEFAULT_REGION; a non-region is refused', () => {
    assert.equal(regionFromEnv({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' }), 'eu-west-1');
    assert.equal(regionFromEnv({ AWS_DEFAULT_REGION: 'us-east-1' }), 'us-east-1');
    assert.equal(regionFromEnv({}), undefined);
    assert.throws(() => mskIamSasl({ region: 'kafka.us-east-1.amazonaws.com' }), /not an AWS region name/);
  });

  test('a new token for each authentication', async () => {
    let signed = 0;
    const sasl = mskIamSasl({ region: 'us-east-1' }, async () => ({ token: `t${++signed}` }));
    assert.equal(sasl.mechanism, 'OAUTHBEARER');
    assert.equal(await sasl.token(), 't1');
    assert.equal(await sasl.token(), 't2');
  });

  test('environment credentials, with a session token: a correctly signed kafka-cluster:Connect URL', async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'ASIAENVTEST',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_SESSION_TOKEN: 'session/token+1',
    });
    try {
      const token = await mskIamSasl({ region: 'ap-southeast-2' }).token();
      const creds = {
        accessKeyId: 'ASIAENVTEST',
        secretAccessKey: 'env-secret',
        sessionToken: 'session/token+1',
        region: 'ap-southeast-2',
      };
      assert.equal(checkMskIamToken(token, creds), 'ASIAENVTEST');
      assert.throws(
        () => checkMskIamToken(token, { ...creds, region: 'eu-west-1' }),
        /not a kafka-cluster:Connect URL for kafka\.eu-west-1\.amazonaws\.com/,
      );
    } finally {
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[name];
    }
  });

  test("a named profile (the Java module's awsProfileName)", async () => {
    writeFileSync(
      process.env.AWS_SHARED_CREDENTIALS_FILE!,
      '[dev]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profile-secret\n',
    );
    try {
      const token = await mskIamSasl({ region: 'eu-north-1', profile: 'dev' }).token();
      assert.equal(
        checkMskIamToken(token, { accessKeyId: 'AKIAPROFILE', secretAccessKey: 'profile-secret', region: 'eu-north-1' }),
        'AKIAPROFILE',
      );
    } finally {
      rmSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, { force: true });
    }
  });

  test('no credentials anywhere: the error says which were looked for and how to give them', async () => {
    const sasl = mskIamSasl({ region: 'us-east-1', profile: 'missing' });
    await assert.rejects(sasl.token(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'MSK_IAM_TOKEN');
      assert.match(
        e.message,
        /cannot sign an MSK IAM token for us-east-1 with AWS credentials from profile missing \(.+\): set AWS_ACCESS_KEY_ID/,
      );
      return true;
    });
  });
});
