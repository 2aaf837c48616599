// MSK IAM authentication as AWS's own non-Java clients do it: SASL/OAUTHBEARER whose token is a
// SigV4-presigned `kafka-cluster:Connect` URL (base64url) from aws-msk-iam-sasl-signer-js, signed
// anew for every connection and re-authentication, since a token is only valid for 15 minutes.
import { generateAuthToken, generateAuthTokenFromProfile, generateAuthTokenFromRole } from 'aws-msk-iam-sasl-signer-js';
import { BrookError } from './errors.ts';

export interface MskIamOptions {
  /** Region of the MSK cluster: part of the signature's scope, so a wrong one is refused. */
  region: string;
  /** A named profile instead of the default credential chain (the Java module's awsProfileName). */
  profile?: string;
  /** A role to assume for the credentials (awsRoleArn, awsRoleSessionName). */
  roleArn?: string;
  roleSessionName?: string;
}

export interface MskIamSasl {
  mechanism: 'OAUTHBEARER';
  /** Called by the Kafka client on each authentication. */
  token: () => Promise<string>;
}

type Signer = (options: MskIamOptions) => Promise<{ token: string }>;

const awsSigner: Signer = ({ region, profile, roleArn, roleSessionName }) => {
  if (profile) return generateAuthTokenFromProfile({ region, awsProfileName: profile });
  if (roleArn)
    return generateAuthTokenFromRole({ region, awsRoleArn: roleArn, ...(roleSessionName ? { awsRoleSessionName: roleSessionName } : {}) });
  return generateAuthToken({ region });
};

/** The region AWS's tools would use: AWS_REGION, then AWS_DEFAULT_REGION. */
export function regionFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/** Looks like an AWS region name (us-east-1, eu-central-2, us-gov-west-1), not a host or a port. */
export function isAwsRegion(s: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(s);
}

/** SASL settings for @platformatic/kafka (`sasl` option); `sign` is replaceable for tests. */
export function mskIamSasl(options: MskIamOptions, sign: Signer = awsSigner): MskIamSasl {
  if (!isAwsRegion(options.region)) {
    throw new BrookError('MSK_IAM_REGION', `'${options.region}' is not an AWS region name (like us-east-1)`);
  }
  return {
    mechanism: 'OAUTHBEARER',
    token: async () => {
      try {
        return (await sign(options)).token;
      } catch (err) {
        // The client only says that the token provider threw: say which credentials were looked for.
        const source = options.profile ? `profile ${options.profile}` : options.roleArn ? `role ${options.roleArn}` : 'the default chain';
        throw new BrookError(
          'MSK_IAM_TOKEN',
          `cannot sign an MSK IAM token for ${options.region} with AWS credentials from ${source} (${(err as Error).message}): ` +
            'set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with an IAM role',
          { cause: err },
        );
      }
    },
  };
}
