// `brook certs list`: the CA and what it issued with their expiry, flagging certificates that
// expire within 30 days, have expired or whose files are gone; and an expired CA, listed but
// refused for issuing.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { initCa, loadCa } from '../../src/certs/ca.ts';
import { issueCertificate } from '../../src/certs/issue.ts';
import { saveIssued } from '../../src/certs/save.ts';
import { certs, daysAgo, scratchDir } from './helpers.ts';

test('list shows the CA and each certificate with its expiry, flagging expiring, expired and missing ones', async () => {
  const dir = scratchDir(after);
  const init = await certs('ca', 'init', '--dir', dir, '--subject', 'CN=List CA,O=Brook', '--validity-days', '100');
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /created CA CN=List CA,O=Brook \(ec-p256, serial [0-9a-f]{32}\), valid until \d{4}-\d\d-\d\d/);
  for (const args of [
    ['--cn', 'alice', '--validity-days', '60'],
    ['--cn', 'soon', '--validity-days', '10', '--san', 'DNS:soon.example.com', '--san', 'IP:10.0.0.9'],
    ['--cn', 'gone', '--validity-days', '30'],
  ]) {
    const r = await certs('issue', '--dir', dir, ...args);
    assert.equal(r.code, 0, r.stderr);
  }
  // Issued with a clock ten days back, for a day: expired nine days ago.
  const ca = await loadCa(dir);
  await saveIssued(ca, await issueCertificate(ca, { cn: 'old', validityDays: 1, now: daysAgo(10) }));
  rmSync(join(dir, 'gone.pem'));

  const r = await certs('list', '--dir', dir);
  assert.equal(r.code, 0, r.stderr);
  const row = (cn: string) => r.stdout.split('\n').find((l) => l.includes(`CN=${cn}`)) ?? '';
  assert.match(row('List CA'), /^ca\s+CN=List CA,O=Brook\s+[0-9a-f]{32}\s+\d{4}-\d\d-\d\d\s+valid \(99 d\)/);
  assert.match(row('alice'), /^client\s+CN=alice\s+.*valid \(59 d\)\s+-\s+.*alice\.pem$/);
  assert.match(row('soon'), /expires in 9 d\s+DNS:soon\.example\.com,IP:10\.0\.0\.9/);
  assert.match(row('old'), /EXPIRED 9 d ago/);
  assert.match(row('gone'), /FILE MISSING/);
  assert.match(r.stdout, /1 expired, 1 expiring within 30 days: issue them again with the same command and --force\n/);

  const j = await certs('list', '--dir', dir, '--json');
  const listing = JSON.parse(j.stdout);
  assert.equal(listing.ca.kind, 'ca');
  assert.equal(listing.ca.status, 'valid');
  assert.deepEqual(
    listing.issued.map((c: { cn: string; status: string }) => [c.cn, c.status]),
    [
      ['alice', 'valid'],
      ['soon', 'expiring'],
      ['gone', 'missing'],
      ['old', 'expired'],
    ],
  );
  const soon = listing.issued[1];
  assert.deepEqual(soon.sans, ['DNS:soon.example.com', 'IP:10.0.0.9']);
  assert.equal(soon.files.key, join(dir, 'soon.key'));
  assert.match(soon.notAfter, /^\d{4}-\d\d-\d\dT/);
});

test('an expired CA: list flags it and says how to replace it; issue refuses with the same advice', async () => {
  const dir = scratchDir(after);
  await initCa(dir, { validityDays: 1, now: daysAgo(3) });
  const r = await certs('list', '--dir', dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ca\s+.*EXPIRED 2 d ago/m);
  assert.match(r.stdout, /the CA itself: brook certs ca init --force, then every certificate again/);
  const i = await certs('issue', '--dir', dir, '--cn', 'x');
  assert.equal(i.code, 1);
  assert.match(i.stderr, /^brook certs: the CA in .* expired on .*: make a new one with `brook certs ca init --force`/);
});

test('list and issue without a CA say to run ca init first', async () => {
  const dir = scratchDir(after);
  for (const argv of [
    ['list', '--dir', dir],
    ['issue', '--dir', dir, '--cn', 'x'],
    ['server', '--dir', dir],
  ]) {
    const r = await certs(...argv);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /there is no CA in .*: run `brook certs ca init` first/);
  }
});
