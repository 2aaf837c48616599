// DescribeUserScramCredentials and AlterUserScramCredentials (KIP-554) over the broker's
// credential store, with Kafka's per-user errors; Describe or Alter on the cluster, as Kafka, so
// that nobody without those ACLs can read or change users once the authorizer is on.
import { AlterUserScramCredentials } from '../../protocol/apis/alter-user-scram-credentials.ts';
import { DescribeUserScramCredentials } from '../../protocol/apis/describe-user-scram-credentials.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import {
  credentialFromSalted,
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  SCRAM_MECHANISM_IDS,
  type ScramCredential,
  type ScramMechanism,
  scramMechanismById,
} from '../../security/scram.ts';
import { access, Op } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const result = (user: string, errorCode: number, errorMessage: string | null) => ({ user, errorCode, errorMessage });

export function describeUserScramCredentialsHandler(services: BrokerServices): ApiHandler {
  const store = services.credentials;
  return {
    api: DescribeUserScramCredentials,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      errorCode: code,
      errorMessage:
        code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED ? 'not authorized: listing SCRAM users needs Describe on the cluster' : null,
      results: (req.users ?? []).map((u: Message) => ({ ...result(u.name, code, null), credentialInfos: [] })),
    }),
    handle(ctx, req) {
      if (!access(services, ctx).cluster(Op.DESCRIBE)) return this.errorResponse(req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const ok = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null };
      const info = (creds: { mechanism: ScramMechanism; iterations: number }[]) =>
        creds.map((c) => ({ mechanism: SCRAM_MECHANISM_IDS[c.mechanism], iterations: c.iterations }));
      if (req.users === null || req.users.length === 0) {
        return { ...ok, results: store.list().map((u) => ({ ...result(u.user, 0, null), credentialInfos: info(u.credentials) })) };
      }
      const names: string[] = req.users.map((u: Message) => u.name);
      const counts = new Map<string, number>();
      for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
      const results = [...new Set(names)].map((name) => {
        if ((counts.get(name) ?? 0) > 1) {
          return {
            ...result(name, ErrorCode.DUPLICATE_RESOURCE, 'Cannot describe SCRAM credentials for the same user twice in a single request'),
            credentialInfos: [],
          };
        }
        const creds = store.describe(name);
        if (!creds) {
          return {
            ...result(name, ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to describe a user credential that does not exist'),
            credentialInfos: [],
          };
        }
        return { ...result(name, ErrorCode.NONE, null), credentialInfos: info(creds) };
      });
      return { ...ok, results };
    },
  };
}

export function alterUserScramCredentialsHandler(services: BrokerServices): ApiHandler {
  const store = services.credentials;
  return {
    api: AlterUserScramCredentials,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      results: [...new Set([...req.deletions, ...req.upsertions].map((e: Message) => e.name as string))].map((u) =>
        result(
          u,
          code,
          code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED ? 'not authorized: changing SCRAM users needs Alter on the cluster' : null,
        ),
      ),
    }),
    handle(ctx, req) {
      if (!access(services, ctx).cluster(Op.ALTER)) return this.errorResponse(req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const deletions = req.deletions as Message[];
      const upsertions = req.upsertions as Message[];
      const users = [...new Set([...deletions, ...upsertions].map((e) => e.name as string))];
      // Kafka refuses every change of a user if any of that user's changes is invalid.
      const errors = new Map<string, [number, string]>();
      const fail = (user: string, code: number, message: string) => {
        if (!errors.has(user)) errors.set(user, [code, message]);
      };
      const seen = new Set<string>();
      for (const e of [...deletions, ...upsertions]) {
        const key = `${e.name}\0${e.mechanism}`;
        if (seen.has(key)) fail(e.name, ErrorCode.DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request');
        seen.add(key);
        if (e.name === '') fail(e.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty');
        if (!scramMechanismById(e.mechanism))
          fail(e.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, `Unknown SCRAM mechanism id ${e.mechanism}`);
      }
      for (const d of deletions) {
        const m = scramMechanismById(d.mechanism);
        if (m && !store.get(d.name, m))
          fail(d.name, ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist');
      }
      const upsert: { user: string; mechanism: ScramMechanism; credential: ScramCredential }[] = [];
      for (const u of upsertions) {
        const m = scramMechanismById(u.mechanism);
        if (!m) continue;
        if (u.iterations < MIN_ITERATIONS || u.iterations > MAX_ITERATIONS) {
          fail(
            u.name,
            ErrorCode.UNACCEPTABLE_CREDENTIAL,
            `Iterations must be from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}, got ${u.iterations}`,
          );
          continue;
        }
        if ((u.salt as Buffer).length === 0 || (u.saltedPassword as Buffer).length === 0) {
          fail(u.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Salt and salted password must not be empty');
          continue;
        }
        upsert.push({ user: u.name, mechanism: m, credential: credentialFromSalted(m, u.salt, u.saltedPassword, u.iterations) });
      }
      const okUser = (name: string) => !errors.has(name);
      const remove = deletions
        .filter((d) => okUser(d.name))
        .map((d) => ({ user: d.name as string, mechanism: scramMechanismById(d.mechanism) as ScramMechanism }));
      store.apply({ upsert: upsert.filter((u) => okUser(u.user)), remove });
      return {
        throttleTimeMs: 0,
        results: users.map((u) => {
          const e = errors.get(u);
          return e ? result(u, e[0], e[1]) : result(u, ErrorCode.NONE, null);
        }),
      };
    },
  };
}
