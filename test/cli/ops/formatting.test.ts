// The pure parts of the operator commands: repeatable flags, aligned tables that fit a terminal,
// how record bytes are shown, Kafka errors explained, and the progress line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NetworkError, ProtocolError, UserError } from '@platformatic/kafka';
import { gatherRepeated, keyValues, repeated } from '../../../src/ops/args.ts';
import { capturedIo } from '../../../src/ops/io.ts';
import { explainKafkaError } from '../../../src/ops/kafka-errors.ts';
import { Progress } from '../../../src/ops/progress.ts';
import { type ConsumedRecord, humanRecord, jsonRecord, jsonSafe, textOf, viewBytes } from '../../../src/ops/records.ts';
import { ranges, renderTable } from '../../../src/ops/table.ts';

describe('repeatable flags', () => {
  const rewrite = gatherRepeated({ config: undefined, header: 'H' });

  test('every form of a repeated flag is kept, in order, values with = and spaces intact', () => {
    const argv = rewrite(['create', 't', '--config', 'a=1', '--config=b=x=y', '-H', 'k=v w', '--partitions', '3', '--header=z=']);
    const values = {
      config: argv.find((a) => a.startsWith('--config='))!.slice(9),
      header: argv.find((a) => a.startsWith('--header='))!.slice(9),
    };
    assert.deepEqual(keyValues(values, 'config'), [
      ['a', '1'],
      ['b', 'x=y'],
    ]);
    assert.deepEqual(keyValues(values, 'header'), [
      ['k', 'v w'],
      ['z', ''],
    ]);
    assert.deepEqual(argv.slice(2), ['create', 't', '--partitions', '3']);
    assert.deepEqual(repeated({}, 'config'), []);
  });

  test('arguments after -- are left alone; a flag without its value is a usage error', () => {
    assert.deepEqual(rewrite(['--', '--config', 'x']), ['--', '--config', 'x']);
    assert.throws(() => rewrite(['--config']), /--config needs a value/);
    assert.throws(() => keyValues({ config: 'novalue' }, 'config'), /--config takes KEY=VALUE/);
  });
});

describe('tables', () => {
  test('columns align, numbers right-aligned, trailing spaces trimmed', () => {
    const out = renderTable(
      ['TOPIC', 'PARTITIONS', 'NOTE'],
      [
        ['a', 3, ''],
        ['longer-name', 12, 'x'],
      ],
    );
    assert.equal(out, 'TOPIC        PARTITIONS  NOTE\na                     3\nlonger-name          12  x\n');
  });

  test('on a narrow terminal the widest text column is cut with an ellipsis; numbers never are', () => {
    const out = renderTable(['MEMBER', 'LAG'], [['consumer-1-0123456789abcdef0123456789abcdef', 123456]], 30);
    for (const line of out.trimEnd().split('\n')) assert.ok(line.length <= 30, line);
    assert.equal(out, 'MEMBER                     LAG\nconsumer-1-0123456789…  123456\n');
  });

  test('ranges compress partition lists', () => {
    assert.equal(ranges([5, 0, 1, 2, 7, 8]), '0-2,5,7-8');
    assert.equal(ranges([]), '');
  });
});

describe('record views', () => {
  const rec = (over: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
    topic: 't',
    partition: 2,
    offset: 41n,
    timestamp: 1714564800000n,
    logAppendTime: false,
    key: Buffer.from('k1'),
    value: Buffer.from('{"a":1}'),
    headers: [[Buffer.from('h'), Buffer.from('v')]],
    ...over,
  });

  test('text, JSON, binary and null values', () => {
    assert.deepEqual(viewBytes(Buffer.from(' [1,2]')), { format: 'json', value: [1, 2], text: ' [1,2]' });
    assert.deepEqual(viewBytes(Buffer.from('{not json')), { format: 'text', text: '{not json' });
    assert.deepEqual(viewBytes(Buffer.from('42')), { format: 'text', text: '42' }, 'scalars stay text');
    assert.deepEqual(viewBytes(Buffer.from([0xc3, 0x28])), { format: 'base64', text: 'wyg=' }, 'invalid UTF-8');
    assert.deepEqual(viewBytes(Buffer.from('bell\u0007')), { format: 'base64', text: 'YmVsbAc=' }, 'control characters');
    assert.deepEqual(viewBytes(null), { format: 'null' });
    assert.equal(textOf(Buffer.from('tab\tand\nnewline')), 'tab\tand\nnewline');
  });

  test('the human form: one header line then the value; --pretty indents; --value-only is the value alone', () => {
    const view = viewBytes(rec().value);
    assert.equal(
      humanRecord(rec(), view, { pretty: false, valueOnly: false }),
      'partition 2  offset 41  2024-05-01T12:00:00.000Z  key k1  headers h=v\n{"a":1}\n',
    );
    assert.equal(humanRecord(rec(), view, { pretty: true, valueOnly: true }), '{\n  "a": 1\n}\n');
    const appended = humanRecord(
      rec({ logAppendTime: true, key: null, headers: [] }),
      { format: 'null' },
      { pretty: false, valueOnly: false },
    );
    assert.equal(appended, 'partition 2  offset 41  2024-05-01T12:00:00.000Z (log append)  key (null)\n(null)\n');
    const avro = humanRecord(
      rec(),
      { format: 'avro', value: { n: 5n, b: Buffer.from([1]) }, schemaId: 7 },
      { pretty: false, valueOnly: false },
    );
    assert.match(avro, /avro schema id 7\n\{"n":5,"b":"AQ=="\}\n$/);
  });

  test('the JSON form keeps header order and repeats, and says how each value is encoded', () => {
    const r = rec({
      headers: [
        [Buffer.from('h'), Buffer.from('1')],
        [Buffer.from('h'), null],
      ],
    });
    assert.deepEqual(jsonRecord(r, viewBytes(r.value)), {
      topic: 't',
      partition: 2,
      offset: 41,
      timestamp: 1714564800000,
      timestampType: 'CreateTime',
      key: 'k1',
      headers: [
        ['h', '1'],
        ['h', null],
      ],
      valueFormat: 'json',
      value: { a: 1 },
    });
    assert.equal(jsonSafe(2n ** 60n), '1152921504606846976', 'unsafe integers become strings');
    assert.deepEqual(jsonSafe(new Map([[1, 2n]])), { 1: 2 });
  });
});

describe('Kafka errors explained', () => {
  const ctx = { bootstrap: ['10.0.0.1:9092'], doing: 'listing topics' };

  test('a refused connection names the address and says what to do', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9092'), { code: 'ECONNREFUSED' });
    const err = new AggregateError([new NetworkError('Connection to 10.0.0.1:9092 failed.', { cause })], 'Listing topics failed.');
    const e = explainKafkaError(err, ctx);
    assert.equal(e.code, 'KAFKA_UNREACHABLE');
    assert.match(
      e.message,
      /^listing topics: cannot reach the Kafka broker at 10\.0\.0\.1:9092 \(connection refused\)\. Is a broker running there\?/,
    );
  });

  test('a broker error uses the broker’s own message, the Kafka error name and a hint', () => {
    const e = explainKafkaError(new ProtocolError('TOPIC_AUTHORIZATION_FAILED', 'not allowed to describe t'), ctx);
    assert.equal(e.code, 'KAFKA_TOPIC_AUTHORIZATION_FAILED');
    assert.equal(
      e.message,
      'listing topics: not allowed to describe t (Kafka error TOPIC_AUTHORIZATION_FAILED): the principal in --properties lacks an ACL for this topic',
    );
    assert.equal(explainKafkaError(new UserError('Unknown topic x.'), ctx).code, 'KAFKA_UNKNOWN_TOPIC');
  });
});

describe('progress', () => {
  test('on a terminal the count is redrawn in place and cleared at the end; with --json nothing', () => {
    let now = 0;
    const io = { ...capturedIo(), stderrIsTTY: true } as ReturnType<typeof capturedIo>;
    let err = '';
    io.err = (t) => void (err += t);
    const p = new Progress(io, false, 'consumed', 10, () => now);
    now = 200;
    p.update(4);
    now = 250;
    p.update(5); // too soon to redraw
    now = 260;
    p.update(10); // the last one always shows
    p.done();
    assert.equal(err, '\rconsumed 4/10 records\x1b[K\rconsumed 10/10 records\x1b[K\r\x1b[K');
    const quiet = capturedIo();
    const q = new Progress(quiet, true, 'consumed', 10, () => 1e9);
    q.update(3);
    q.done();
    assert.equal(quiet.stderr, '');
  });
});
