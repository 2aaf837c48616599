// Who may do what under `brook up --secure`: one principal per part, each with only the ACLs its
// work needs (the least privilege), and the operator as the one super user. Principals come
// from client certificates: the mapping rule turns `CN=processor,O=Brook` into `User:processor`.
import type { BrookConfig } from '../config/types.ts';
import { RESULT_TOPICS } from '../jobs/clickstream/rows.ts';
import { type AclBinding, CLUSTER_NAME, Operation, PatternType, Permission, ResourceType } from '../security/acl.ts';

/** The parts that connect to the broker with an identity of their own. */
export const SECURE_PARTS = ['generator', 'processor', 'dashboard', 'registry'] as const;
export type SecurePart = (typeof SECURE_PARTS)[number];

/** The operator's identity (brook up's own admin work, kcat, the operator CLI): a super user. */
export const ADMIN_NAME = 'admin';
export const CERT_ORGANIZATION = 'Brook';

/** `ssl.principal.mapping.rules`: the certificate's CN is the user name. */
export const PRINCIPAL_MAPPING_RULES = 'RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT';

export const principalOf = (name: string) => `User:${name}`;
export const subjectOf = (name: string) => `CN=${name},O=${CERT_ORGANIZATION}`;

type Grant = [resourceType: number, name: string, pattern: number, operations: number[]];

const topic = (name: string, ...ops: number[]): Grant => [ResourceType.TOPIC, name, PatternType.LITERAL, ops];
const group = (name: string, pattern: number, ...ops: number[]): Grant => [ResourceType.GROUP, name, pattern, ops];
const cluster = (...ops: number[]): Grant => [ResourceType.CLUSTER, CLUSTER_NAME, PatternType.LITERAL, ops];

function grantsOf(part: SecurePart, config: BrookConfig): Grant[] {
  const t = config.topics;
  const results = Object.values(RESULT_TOPICS);
  const { READ, WRITE, DESCRIBE, CREATE, IDEMPOTENT_WRITE, DESCRIBE_CONFIGS } = Operation;
  switch (part) {
    case 'generator':
      // Writes the input, idempotently; Describe for metadata.
      return [topic(t.clickstream, WRITE, DESCRIBE), cluster(IDEMPOTENT_WRITE)];
    case 'processor': {
      const p = config.processor;
      const grants: Grant[] = [
        topic(t.clickstream, READ, DESCRIBE),
        // Its consumer group and the groups and exchange topics derived from its name (the
        // partials exchange and the combiner's group when instances share the work).
        group(p.group, PatternType.PREFIXED, READ, DESCRIBE),
        [ResourceType.TOPIC, `${p.group}-`, PatternType.PREFIXED, [READ, WRITE, DESCRIBE, CREATE]],
        ...[...results, t.late, t.deadLetter].map((name) => topic(name, WRITE, DESCRIBE)),
        cluster(IDEMPOTENT_WRITE),
      ];
      if (p.checkpointTopic) grants.push(topic(p.checkpointTopic, READ, WRITE, DESCRIBE, CREATE, DESCRIBE_CONFIGS));
      return grants;
    }
    case 'dashboard':
      // Shows topics, their end offsets and the processor's group lag; reads the result topics.
      return [
        ...[t.clickstream, ...results, t.late, t.deadLetter].map((name) => topic(name, READ, DESCRIBE)),
        group(config.processor.group, PatternType.PREFIXED, DESCRIBE),
      ];
    case 'registry':
      // Schemas live in a compacted topic the registry creates, writes and reads back.
      return [topic(config.registry.topic, READ, WRITE, DESCRIBE, CREATE, DESCRIBE_CONFIGS), cluster(IDEMPOTENT_WRITE)];
  }
}

/** Every ALLOW binding of every part, from any host. */
export function secureAcls(config: BrookConfig): AclBinding[] {
  const out: AclBinding[] = [];
  for (const part of SECURE_PARTS) {
    for (const [resourceType, resourceName, patternType, ops] of grantsOf(part, config)) {
      for (const operation of ops) {
        out.push({
          resourceType,
          resourceName,
          patternType,
          principal: principalOf(part),
          host: '*',
          operation,
          permission: Permission.ALLOW,
        });
      }
    }
  }
  return out;
}
