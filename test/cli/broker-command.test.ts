// `brook broker` as a user runs it: help text, bad flags, the one "listening" line, a clean stop
// on SIGTERM with exit code 0, and the data still there when started again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { tempDir } from '../helpers/temp-broker.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'brook.js');

function startCli(
  args: string[],
): Promise<{ port: number; stop(signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string }> }> {
  const child = spawn(process.execPath, [BIN, 'broker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`broker exited early (${code}): ${stderr}`));
    child.once('exit', early);
    child.stdout.on('data', (c) => {
      stdout += c;
      const m = /listening on [^:]+:(\d+)/.exec(stdout);
      if (m) {
        child.off('exit', early);
        resolve({
          port: Number(m[1]),
          stop: (signal) =>
            new Promise((done) => {
              child.once('exit', (code) => done({ code, stdout }));
              child.kill(signal);
            }),
        });
      }
    });
  });
}

test('brook --help and brook broker --help describe the commands and options', () => {
  const top = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(top.status, 0);
  assert.match(top.stdout, /broker\s+Run the Kafka-wire-compatible broker/);
  const help = spawnSync(process.execPath, [BIN, 'broker', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const flag of ['--host', '--port', '--data-dir', '--advertised-listener']) assert.ok(help.stdout.includes(flag), flag);
});

test('bad flags and unknown commands fail with a clear message and exit code 2', () => {
  const bad = spawnSync(process.execPath, [BIN, 'broker', '--port', 'ninety'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--port must be an integer/);
  const unknown = spawnSync(process.execPath, [BIN, 'broker', '--frobnicate'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /frobnicate/);
  const cmd = spawnSync(process.execPath, [BIN, 'nope'], { encoding: 'utf8' });
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /unknown command 'nope'/);
});

test('a port in use is reported plainly', async () => {
  const dir = tempDir();
  const first = await startCli(['--port', '0', '--data-dir', join(dir, 'a')]);
  const second = spawnSync(process.execPath, [BIN, 'broker', '--port', String(first.port), '--data-dir', join(dir, 'b')], {
    encoding: 'utf8',
  });
  assert.equal(second.status, 1);
  assert.match(second.stderr, /already in use/);
  await first.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('SIGTERM stops the broker cleanly (exit 0) and the data is there after a restart', async () => {
  const dir = tempDir();
  const b1 = await startCli(['--port', '0', '--data-dir', dir]);
  const kafka = new Kafka({ brokers: [`127.0.0.1:${b1.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'cli', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'cli', acks: 1, messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}` })) });
  await producer.disconnect();
  const stopped = await b1.stop('SIGTERM');
  assert.equal(stopped.code, 0);
  assert.match(stopped.stdout, /stopped/);

  const b2 = await startCli(['--port', '0', '--data-dir', dir]);
  const admin2 = new Kafka({ brokers: [`127.0.0.1:${b2.port}`], logLevel: logLevel.NOTHING }).admin();
  await admin2.connect();
  const offsets = await admin2.fetchTopicOffsets('cli');
  await admin2.disconnect();
  assert.equal(offsets[0]?.high, '20', 'acks=1 records survive a clean stop');
  assert.equal((await b2.stop('SIGINT')).code, 0);
  rmSync(dir, { recursive: true, force: true });
});
