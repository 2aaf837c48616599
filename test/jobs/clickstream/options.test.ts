// `brook process` flags: defaults, validation errors that say what is wrong, and help text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandArgs, renderHelp, UsageError } from '../../../src/cli/command.ts';
import { processCommand } from '../../../src/cli/process-command.ts';
import { parseProcessConfig } from '../../../src/jobs/clickstream/options.ts';

const parse = (argv: string[]) => parseProcessConfig(parseCommandArgs(processCommand, argv).values);

describe('brook process options', () => {
  test('defaults follow the spec and the reference pipeline', () => {
    const c = parse([]);
    assert.equal(c.topic, 'clickstream');
    assert.equal(c.group, 'clickstream-processor');
    assert.equal(c.from, 'committed');
    assert.equal(c.bounded, false);
    assert.equal(c.outOfOrdernessMs, 20_000);
    assert.equal(c.idleTimeoutMs, 60_000);
    assert.equal(c.checkpointIntervalMs, 10_000);
    assert.equal(c.eventTime, 'record');
    assert.equal(c.dlqTopic, 'clickstream.dlq');
    assert.equal(c.lateTopic, 'clickstream.late');
    assert.equal(c.kafkaResults, true);
    assert.equal(c.registry, 'http://127.0.0.1:8081');
    assert.equal(c.exchangeTopic, undefined, 'derived from the group when the job starts');
    assert.equal(c.instanceId, undefined);
    assert.equal(c.sessionTimeoutMs, 10_000);
  });

  test('scale-out flags: group, exchange topic, static instance id, session timeout', () => {
    const c = parse(['--group', 'g2', '--exchange-topic', 'g2.partials', '--instance-id', 'proc-1', '--session-timeout', '30']);
    assert.equal(c.group, 'g2');
    assert.equal(c.exchangeTopic, 'g2.partials');
    assert.equal(c.instanceId, 'proc-1');
    assert.equal(c.sessionTimeoutMs, 30_000);
  });

  test('values are parsed', () => {
    const c = parse(['--bounded', '--from', 'earliest', '--checkpoint-interval', '0.5', '--idle-timeout', '0', '--event-time', 'field']);
    assert.equal(c.bounded, true);
    assert.equal(c.from, 'earliest');
    assert.equal(c.checkpointIntervalMs, 500);
    assert.equal(c.idleTimeoutMs, 0);
    assert.equal(c.eventTime, 'field');
  });

  test('bad values get a clear error', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--from', 'beginning'], /--from must be earliest, latest, committed; got 'beginning'/],
      [['--checkpoint-interval', '0'], /--checkpoint-interval must be a number of seconds/],
      [['--checkpoint-interval', 'often'], /--checkpoint-interval must be a number of seconds/],
      [['--out-of-orderness=-5'], /--out-of-orderness must be an integer/],
      [['--event-time', 'wall'], /--event-time must be record, field/],
      [['--registry', 'localhost:8081'], /--registry must be an http\(s\) URL/],
      [['--checkpoint-dir', 'a', '--checkpoint-topic', 'b'], /alternatives/],
      [['--session-timeout', '2'], /--session-timeout must be a number of seconds from 6 to 1800/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => parse(argv),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
    assert.throws(() => parse(['--nope']), /Unknown option '--nope'/);
  });

  test('help lists every option with its default', () => {
    const help = renderHelp(processCommand);
    for (const name of Object.keys(processCommand.options)) assert.ok(help.includes(`--${name}`), name);
    assert.match(help, /--group ID .*\(default: clickstream-processor\)/);
  });

  test('help says how instances share the work: the group, the exchange topic, membership', () => {
    const help = renderHelp(processCommand);
    assert.match(help, /--group ID +Consumer group: instances started with the same group share the input partitions/);
    assert.match(help, /--exchange-topic TOPIC +Topic that carries each partition's partial window results .*\(default: <group>-partials/);
    assert.match(help, /--instance-id ID +Static group membership/);
    assert.match(help, /--session-timeout SECONDS .*\(default: 10\)/);
    assert.match(help, /Start it several times with one --group/);
  });
});
