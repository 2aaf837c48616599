// The ACL matcher on its own: pattern types, the wildcard, implied operations, deny wins, hosts,
// super users, the switched-off authorizer, filters, authorizeAny, and persistence of the store.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  type AclBinding,
  type AclFilter,
  filterMatches,
  invalidBinding,
  Operation as Op,
  PatternType,
  Permission,
  parseEnum,
  ResourceType as RT,
} from '../../../src/security/acl.ts';
import { ACLS_FILE, AclStore } from '../../../src/security/acl-store.ts';
import { Authorizer } from '../../../src/security/authorizer.ts';

const acl = (o: Partial<AclBinding>): AclBinding => ({
  resourceType: RT.TOPIC,
  resourceName: 'orders',
  patternType: PatternType.LITERAL,
  principal: 'User:alice',
  host: '*',
  operation: Op.READ,
  permission: Permission.ALLOW,
  ...o,
});
const alice = { principal: 'User:alice', host: '10.0.0.1' };
const bob = { principal: 'User:bob', host: '10.0.0.2' };

function authz(acls: AclBinding[], superUsers: string[] = [], enabled = true): Authorizer {
  const store = new AclStore(null);
  store.add(acls);
  return new Authorizer({ enabled, superUsers, store });
}

describe('authorizer', () => {
  test('switched off, everything is allowed; on, nothing without an ACL', () => {
    assert.equal(authz([], [], false).authorize(alice, Op.WRITE, RT.TOPIC, 'orders'), true);
    assert.equal(authz([]).authorize(alice, Op.WRITE, RT.TOPIC, 'orders'), false);
    assert.equal(authz([]).authorizeAny(alice, Op.WRITE, RT.TOPIC), false);
  });

  test('literal, wildcard and prefixed patterns', () => {
    const a = authz([
      acl({ resourceName: 'orders' }),
      acl({ resourceName: 'clicks-', patternType: PatternType.PREFIXED }),
      acl({ resourceType: RT.GROUP, resourceName: '*' }),
    ]);
    assert.equal(a.authorize(alice, Op.READ, RT.TOPIC, 'orders'), true);
    assert.equal(a.authorize(alice, Op.READ, RT.TOPIC, 'orders2'), false);
    assert.equal(a.authorize(alice, Op.READ, RT.TOPIC, 'clicks-eu'), true);
    assert.equal(a.authorize(alice, Op.READ, RT.TOPIC, 'clicks'), false);
    assert.equal(a.authorize(alice, Op.READ, RT.GROUP, 'anything'), true);
    // A literal '*' topic ACL is not a wildcard for another resource type.
    assert.equal(a.authorize(alice, Op.READ, RT.TRANSACTIONAL_ID, 'orders'), false);
    // A prefixed '*' is the prefix '*', not a wildcard.
    assert.equal(authz([acl({ resourceName: '*', patternType: PatternType.PREFIXED })]).authorize(alice, Op.READ, RT.TOPIC, 'x'), false);
  });

  test('READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL implies everything', () => {
    for (const op of [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER]) {
      assert.equal(authz([acl({ operation: op })]).authorize(alice, Op.DESCRIBE, RT.TOPIC, 'orders'), true, String(op));
    }
    assert.equal(authz([acl({ operation: Op.CREATE })]).authorize(alice, Op.DESCRIBE, RT.TOPIC, 'orders'), false);
    assert.equal(authz([acl({ operation: Op.DESCRIBE })]).authorize(alice, Op.READ, RT.TOPIC, 'orders'), false);
    assert.equal(authz([acl({ operation: Op.ALTER_CONFIGS })]).authorize(alice, Op.DESCRIBE_CONFIGS, RT.TOPIC, 'orders'), true);
    assert.equal(authz([acl({ operation: Op.DESCRIBE_CONFIGS })]).authorize(alice, Op.ALTER_CONFIGS, RT.TOPIC, 'orders'), false);
    const all = authz([acl({ operation: Op.ALL })]);
    for (const op of [Op.READ, Op.WRITE, Op.CREATE, Op.DELETE, Op.ALTER, Op.DESCRIBE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS]) {
      assert.equal(all.authorize(alice, op, RT.TOPIC, 'orders'), true, String(op));
    }
  });

  test('deny wins over allow, also through a prefix, a wildcard principal or ALL', () => {
    assert.equal(authz([acl({}), acl({ permission: Permission.DENY })]).authorize(alice, Op.READ, RT.TOPIC, 'orders'), false);
    assert.equal(
      authz([
        acl({ operation: Op.ALL }),
        acl({ resourceName: 'ord', patternType: PatternType.PREFIXED, permission: Permission.DENY, principal: 'User:*' }),
      ]).authorize(alice, Op.READ, RT.TOPIC, 'orders'),
      false,
    );
    assert.equal(
      authz([acl({}), acl({ operation: Op.ALL, permission: Permission.DENY })]).authorize(alice, Op.READ, RT.TOPIC, 'orders'),
      false,
    );
    // A deny of DESCRIBE does not deny READ (Kafka applies implications to allows only).
    assert.equal(
      authz([acl({}), acl({ operation: Op.DESCRIBE, permission: Permission.DENY })]).authorize(alice, Op.READ, RT.TOPIC, 'orders'),
      true,
    );
    // Another principal's deny changes nothing.
    assert.equal(
      authz([acl({}), acl({ principal: 'User:bob', permission: Permission.DENY })]).authorize(alice, Op.READ, RT.TOPIC, 'orders'),
      true,
    );
  });

  test('principals and hosts: User:*, a host, an IPv4-mapped address', () => {
    const a = authz([acl({ principal: 'User:*', host: '10.0.0.1' })]);
    assert.equal(a.authorize(alice, Op.READ, RT.TOPIC, 'orders'), true);
    assert.equal(a.authorize({ principal: 'User:bob', host: '10.0.0.1' }, Op.READ, RT.TOPIC, 'orders'), true);
    assert.equal(a.authorize(bob, Op.READ, RT.TOPIC, 'orders'), false);
    assert.equal(a.authorize({ principal: 'User:alice', host: '::ffff:10.0.0.1' }, Op.READ, RT.TOPIC, 'orders'), true);
    const denyHost = authz([acl({}), acl({ host: '10.0.0.2', permission: Permission.DENY, principal: 'User:*' })]);
    assert.equal(denyHost.authorize(alice, Op.READ, RT.TOPIC, 'orders'), true);
    assert.equal(denyHost.authorize({ ...bob, principal: 'User:alice' }, Op.READ, RT.TOPIC, 'orders'), false);
  });

  test('super users may do all, even against a deny', () => {
    const a = authz([acl({ principal: 'User:*', operation: Op.ALL, permission: Permission.DENY })], ['User:admin']);
    assert.equal(a.authorize({ principal: 'User:admin', host: '1.2.3.4' }, Op.ALTER, RT.CLUSTER, 'kafka-cluster'), true);
    assert.equal(a.authorize(alice, Op.READ, RT.TOPIC, 'orders'), false);
  });

  test('authorizeAny: some allowed resource of the type not wholly denied', () => {
    const w = (o: Partial<AclBinding>) => acl({ operation: Op.WRITE, ...o });
    assert.equal(authz([w({})]).authorizeAny(alice, Op.WRITE, RT.TOPIC), true);
    assert.equal(authz([w({}), w({ permission: Permission.DENY })]).authorizeAny(alice, Op.WRITE, RT.TOPIC), false);
    assert.equal(
      authz([w({}), w({ resourceName: 'or', patternType: PatternType.PREFIXED, permission: Permission.DENY })]).authorizeAny(
        alice,
        Op.WRITE,
        RT.TOPIC,
      ),
      false,
    );
    assert.equal(authz([w({}), w({ resourceName: '*', permission: Permission.DENY })]).authorizeAny(alice, Op.WRITE, RT.TOPIC), false);
    assert.equal(authz([w({}), w({ resourceName: 'x', permission: Permission.DENY })]).authorizeAny(alice, Op.WRITE, RT.TOPIC), true);
    assert.equal(authz([acl({})]).authorizeAny(alice, Op.WRITE, RT.TOPIC), false);
  });
});

describe('ACL filters and validation', () => {
  const any: AclFilter = {
    resourceType: RT.ANY,
    resourceName: null,
    patternType: PatternType.ANY,
    principal: null,
    host: null,
    operation: Op.ANY,
    permission: Permission.ANY,
  };
  const lit = acl({});
  const pre = acl({ resourceName: 'ord', patternType: PatternType.PREFIXED });
  const star = acl({ resourceName: '*' });

  test('ANY, exact pattern types and MATCH', () => {
    assert.equal(filterMatches(any, lit), true);
    assert.equal(filterMatches({ ...any, resourceName: 'orders' }, pre), false);
    assert.equal(filterMatches({ ...any, patternType: PatternType.PREFIXED }, lit), false);
    const match = { ...any, resourceName: 'orders', patternType: PatternType.MATCH };
    assert.deepEqual(
      [lit, pre, star, acl({ resourceName: 'other' })].map((b) => filterMatches(match, b)),
      [true, true, true, false],
    );
    assert.equal(filterMatches({ ...any, operation: Op.WRITE }, lit), false);
    assert.equal(filterMatches({ ...any, permission: Permission.DENY }, lit), false);
    assert.equal(filterMatches({ ...any, principal: 'User:bob' }, lit), false);
    assert.equal(filterMatches({ ...any, resourceType: RT.GROUP }, lit), false);
  });

  test('what a binding may not be', () => {
    assert.equal(invalidBinding(lit), null);
    assert.match(invalidBinding(acl({ resourceType: RT.ANY })) ?? '', /cannot hold ACLs/);
    assert.match(invalidBinding(acl({ patternType: PatternType.MATCH })) ?? '', /LITERAL or PREFIXED/);
    assert.match(invalidBinding(acl({ resourceType: RT.CLUSTER, resourceName: 'x' })) ?? '', /kafka-cluster/);
    assert.match(invalidBinding(acl({ operation: Op.ANY })) ?? '', /cannot be granted/);
    assert.match(invalidBinding(acl({ permission: Permission.ANY })) ?? '', /ALLOW or DENY/);
    assert.match(invalidBinding(acl({ principal: 'Group:x' })) ?? '', /User:/);
  });

  test('names parse in Kafka and CLI spellings', () => {
    assert.equal(parseEnum(Op, 'operation', 'IdempotentWrite'), Op.IDEMPOTENT_WRITE);
    assert.equal(parseEnum(Op, 'operation', 'describe-configs'), Op.DESCRIBE_CONFIGS);
    assert.equal(parseEnum(RT, 'resource type', 'TransactionalId'), RT.TRANSACTIONAL_ID);
    assert.throws(() => parseEnum(Op, 'operation', 'fly'), /unknown operation 'fly'/);
  });
});

describe('ACL store', () => {
  test('persists atomically, removes by filter, refuses a damaged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-acls-'));
    try {
      const s = new AclStore(dir);
      s.add([acl({}), acl({}), acl({ operation: Op.WRITE })]);
      assert.equal(s.all().length, 2);
      assert.equal(new AclStore(dir).all().length, 2);
      const removed = s.remove([
        {
          resourceType: RT.TOPIC,
          resourceName: 'orders',
          patternType: PatternType.LITERAL,
          principal: null,
          host: null,
          operation: Op.WRITE,
          permission: Permission.ANY,
        },
      ]);
      assert.equal(removed[0]?.length, 1);
      assert.deepEqual(new AclStore(dir).all(), [acl({})]);
      assert.match(readFileSync(join(dir, ACLS_FILE), 'utf8'), /"version": 1/);
      writeFileSync(join(dir, ACLS_FILE), '{"version":');
      assert.throws(() => new AclStore(dir), /damaged/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
