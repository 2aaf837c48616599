// ssl.principal.mapping.rules as Kafka's SslPrincipalMapper reads and applies them (KIP-371).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePrincipal, principalToString } from '../../../src/security/principal.ts';
import { mapPrincipal, parsePrincipalMappingRules } from '../../../src/security/principal-mapping.ts';
import { subjectDnOf } from '../../../src/security/tls.ts';
import { makeCa } from '../../helpers/pki.ts';

const map = (rules: string, dn: string) => mapPrincipal(parsePrincipalMappingRules(rules), dn);

test('DEFAULT (and an empty setting) keeps the full DN', () => {
  assert.equal(map('DEFAULT', 'CN=alice,OU=eng,O=Brook'), 'CN=alice,OU=eng,O=Brook');
  assert.equal(map('', 'CN=alice,O=Brook'), 'CN=alice,O=Brook');
});

test('a rule with a back-reference extracts the CN; /L and /U fold case', () => {
  assert.equal(map('RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/', 'CN=Alice,OU=Eng,O=Brook'), 'Alice@Eng');
  assert.equal(map('RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/L', 'CN=Alice,OU=Eng,O=Brook'), 'alice@eng');
  assert.equal(map('RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/U', 'CN=Alice,OU=Eng,O=Brook'), 'ALICE@ENG');
});

test('rules are tried in order; the first whole-DN match wins, DEFAULT catches the rest', () => {
  const rules = 'RULE:^CN=([^,]+),O=Partner$/partner-$1/, RULE:^CN=([^,]+),.*$/$1/L, DEFAULT';
  assert.equal(map(rules, 'CN=Bob,O=Partner'), 'partner-Bob');
  assert.equal(map(rules, 'CN=Carol,OU=x,O=Brook'), 'carol');
  assert.equal(map(rules, 'O=NoCommonName'), 'O=NoCommonName');
});

test('rules may be separated by newlines and contain escaped slashes and commas', () => {
  const rules = 'RULE:^CN=([^,]+)\\/ops,.*$/$1/\nDEFAULT';
  assert.equal(parsePrincipalMappingRules(rules).length, 2);
  assert.equal(map(rules, 'CN=dave/ops,O=Brook'), 'dave');
  assert.equal(map('RULE:^CN=(.*)$/$1\\,x/', 'CN=eve'), 'eve,x');
});

test('no matching rule refuses the certificate', () => {
  assert.throws(() => map('RULE:^CN=(.*),O=Brook$/$1/', 'CN=x,O=Other'), /no ssl.principal.mapping.rules rule matches/);
});

test('malformed rules are refused with the syntax', () => {
  assert.throws(() => parsePrincipalMappingRules('RULE:abc'), /RULE:pattern\/replacement/);
  assert.throws(() => parsePrincipalMappingRules('DEFAULT, nonsense'), /cannot parse 'nonsense'/);
  assert.throws(() => parsePrincipalMappingRules('RULE:(/x/'), /bad pattern/);
});

test("a certificate's subject reads most specific first, as Java's X500Principal.getName() does", () => {
  const dir = mkdtempSync(join(tmpdir(), 'brook-dn-'));
  try {
    const ca = makeCa(dir);
    const c = ca.issue('c', '/C=US/O=Brook, Inc./OU=analytics/CN=alice');
    assert.equal(subjectDnOf(new X509Certificate(c.cert)), 'CN=alice,OU=analytics,O=Brook\\, Inc.,C=US');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('principals print and parse as User:<name>', () => {
  assert.equal(principalToString(parsePrincipal('User:CN=alice,O=Brook')), 'User:CN=alice,O=Brook');
  assert.throws(() => parsePrincipal('Group:x'), /User:<name>/);
});
