// SCRAM credential administration (KIP-554): DescribeUserScramCredentials and
// AlterUserScramCredentials, as @platformatic/kafka writes and reads them.
import { AlterUserScramCredentials } from '../../../src/protocol/apis/alter-user-scram-credentials.ts';
import { DescribeUserScramCredentials } from '../../../src/protocol/apis/describe-user-scram-credentials.ts';
import { pltReq, pltRes, type RequestCase, type ResponseCase } from './kit.ts';

const salt = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const salted = Buffer.alloc(64, 7);

const describeResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  results: [
    { user: 'alice', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 2, iterations: 8192 }] },
    { user: 'bob', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 1, iterations: 4096 }] },
  ],
};

export const requestCases: RequestCase[] = [
  pltReq(DescribeUserScramCredentials, 0, [[{ name: 'alice' }, { name: 'bob' }]], { users: [{ name: 'alice' }, { name: 'bob' }] }),
  pltReq(
    AlterUserScramCredentials,
    0,
    [[{ name: 'bob', mechanism: 1 }], [{ name: 'alice', mechanism: 2, iterations: 8192, salt, saltedPassword: salted }]],
    {
      deletions: [{ name: 'bob', mechanism: 1 }],
      upsertions: [{ name: 'alice', mechanism: 2, iterations: 8192, salt, saltedPassword: salted }],
    },
  ),
];

export const responseCases: ResponseCase[] = [
  pltRes(DescribeUserScramCredentials, 0, describeResponse),
  pltRes(AlterUserScramCredentials, 0, { throttleTimeMs: 0, results: [{ user: 'alice', errorCode: 0, errorMessage: null }] }),
];
