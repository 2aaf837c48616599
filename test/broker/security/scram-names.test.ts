// SCRAM user names and passwords as Kafka treats them: ',' and '=' in a name travel as '=2C' and
// '=3D' (RFC 5802 section 5.1) and are unescaped once; passwords are salted as their UTF-8 bytes,
// with no SASLprep (RFC 4013), as Apache Kafka, librdkafka and kafkajs do. Checked with kcat.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SaslAuthenticate } from '../../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../../src/protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { type BrokerEvents, collectBrokerEvents } from '../../helpers/broker-events.ts';
import { kcat } from '../../helpers/kcat.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import { WireClient } from '../../helpers/wire-client.ts';
import { scramLogin } from './sasl-login.ts';

const ODD_NAME = 'team,a=b';
/** A name that already looks escaped: a server that unescapes twice (or =3D first) gets it wrong. */
const LOOKS_ESCAPED = 'x=2Cy';
/** U+00A0 (no-break space): SASLprep would map it to a plain space. */
const NBSP_PASSWORD = 'pass\u00a0word';
/** 'é' as one code point; SASLprep's NFKC would equate it with 'e' + U+0301. */
const COMPOSED_PASSWORD = 'caf\u00e9-secret';

describe('SCRAM user names and password normalization', () => {
  let tb: SecureTempBroker;
  let events: BrokerEvents;
  let port: number;

  before(async () => {
    events = collectBrokerEvents();
    tb = await startSecureBroker([
      {
        name: 'SASL_PLAINTEXT',
        securityProtocol: 'SASL_PLAINTEXT',
        host: '127.0.0.1',
        port: 0,
        saslMechanisms: ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'],
      },
    ]);
    port = tb.portOf('SASL_PLAINTEXT');
    await addUser(tb, ODD_NAME, 'odd-secret');
    await addUser(tb, LOOKS_ESCAPED, 'escaped-secret');
    await addUser(tb, 'nbsp', NBSP_PASSWORD);
    await addUser(tb, 'accent', COMPOSED_PASSWORD);
  });
  after(async () => {
    events.stop();
    await tb.dispose();
  });

  /** kcat -L; a refused login makes kcat wait for its metadata timeout, so refusals get a short one. */
  const kcatList = (mechanism: string, user: string, password: string, metadataTimeoutS = 10) =>
    kcat(
      [
        '-b',
        tb.bootstrapOf('SASL_PLAINTEXT'),
        '-X',
        'security.protocol=SASL_PLAINTEXT',
        '-X',
        `sasl.mechanisms=${mechanism}`,
        '-X',
        `sasl.username=${user}`,
        '-X',
        `sasl.password=${password}`,
        '-L',
        '-m',
        String(metadataTimeoutS),
      ],
      { timeoutMs: 30_000 },
    );

  for (const mechanism of ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN']) {
    test(`kcat ${mechanism}: a user named '${ODD_NAME}' logs in as User:${ODD_NAME}`, async () => {
      const before = events.events.length;
      const r = await kcatList(mechanism, ODD_NAME, 'odd-secret');
      assert.equal(r.code, 0, r.stderr);
      assert.ok(
        events.events
          .slice(before)
          .some((e) => e.type === 'authenticated' && e.principal === `User:${ODD_NAME}` && e.mechanism === mechanism),
        'the broker saw the unescaped name',
      );
    });
  }

  test(`a name that contains '=2C' is unescaped once: '${LOOKS_ESCAPED}' stays '${LOOKS_ESCAPED}'`, async () => {
    const before = events.events.length;
    const { wire } = await scramLogin(port, 'SCRAM-SHA-256', LOOKS_ESCAPED, 'escaped-secret');
    wire.close();
    assert.ok(events.events.slice(before).some((e) => e.type === 'authenticated' && e.principal === `User:${LOOKS_ESCAPED}`));
    const r = await kcatList('SCRAM-SHA-512', LOOKS_ESCAPED, 'escaped-secret');
    assert.equal(r.code, 0, r.stderr);
  });

  test("an '=' that is neither =2C nor =3D fails the login with a message saying how to escape", async () => {
    const wire = await WireClient.connect(port);
    assert.equal((await wire.send(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-256' })).errorCode, ErrorCode.NONE);
    const r = await wire.send(SaslAuthenticate, 2, { authBytes: Buffer.from('n,,n=team,a=b,r=abcdefgh') });
    assert.equal(r.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    const wire2 = await WireClient.connect(port);
    await wire2.send(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-256' });
    const r2 = await wire2.send(SaslAuthenticate, 2, { authBytes: Buffer.from('n,,n=a=b,r=abcdefgh') });
    assert.equal(r2.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.match(r2.errorMessage, /must be escaped as =2C or =3D/);
    await Promise.all([wire.closed, wire2.closed]);
  });

  /** kcat fails, and because the broker refused these credentials (not for any other reason). */
  async function refusedLogin(mechanism: string, user: string, password: string): Promise<void> {
    const before = events.events.length;
    const r = await kcatList(mechanism, user, password, 2);
    assert.notEqual(r.code, 0, `kcat should fail; stdout ${r.stdout}`);
    assert.ok(
      events.events.slice(before).some((e) => e.type === 'connection-refused' && /authentication failed/.test(String(e.reason))),
      'the broker refused the credentials',
    );
  }

  for (const mechanism of ['SCRAM-SHA-512', 'PLAIN']) {
    test(`kcat ${mechanism}: passwords are compared as their UTF-8 bytes, with no SASLprep`, async () => {
      const exact = await kcatList(mechanism, 'nbsp', NBSP_PASSWORD);
      assert.equal(exact.code, 0, exact.stderr);
      // SASLprep would map U+00A0 to U+0020 and accept this; Kafka does not, nor does Brook.
      await refusedLogin(mechanism, 'nbsp', 'pass word');
      const composed = await kcatList(mechanism, 'accent', COMPOSED_PASSWORD);
      assert.equal(composed.code, 0, composed.stderr);
      // NFKC (part of SASLprep) would make the decomposed form equal to the composed one.
      await refusedLogin(mechanism, 'accent', 'cafe\u0301-secret');
    });
  }
});
