// Every peer cross-check case, gathered for the tests and the fixture generator.
import * as admin from './admin.ts';
import * as cluster from './cluster.ts';
import * as groups from './groups.ts';
import type { RequestCase, ResponseCase } from './kit.ts';
import * as produceFetch from './produce-fetch.ts';
import * as scramCredentials from './scram-credentials.ts';
import * as txnSasl from './txn-sasl.ts';

const parts = [produceFetch, cluster, groups, admin, txnSasl, scramCredentials];

export const requestCases: RequestCase[] = parts.flatMap((p) => p.requestCases);
export const responseCases: ResponseCase[] = parts.flatMap((p) => p.responseCases);
