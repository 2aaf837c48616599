// Resource limits a hostile or careless client runs into: the connection cap, the idle timeout,
// and the broker-wide budget for buffered request bytes (reads pause; nothing is dropped).
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { Metadata } from '../../src/protocol/apis/metadata.ts';
import { startTempBroker } from '../helpers/temp-broker.ts';
import { WireClient } from '../helpers/wire-client.ts';

const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
const closed = (s: Socket): Promise<void> => new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

test('connections beyond max.connections are closed at once; earlier ones keep working', async () => {
  const tb = await startTempBroker({ maxConnections: 2 });
  try {
    const a = await WireClient.connect(tb.broker.address.port);
    const b = await WireClient.connect(tb.broker.address.port);
    const c = await open(tb.broker.address.port);
    await closed(c);
    const md = await a.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    assert.equal(md.brokers.length, 1);
    a.close();
    b.close();
  } finally {
    await tb.dispose();
  }
});

test('an idle connection is closed after connections.max.idle.ms', async () => {
  const tb = await startTempBroker({ idleTimeoutMs: 100 });
  try {
    const s = await open(tb.broker.address.port);
    const started = Date.now();
    await closed(s);
    assert.ok(Date.now() - started >= 90, 'not before the idle time');
  } finally {
    await tb.dispose();
  }
});

test('partial frames from many connections never hold more than the request-bytes budget', async () => {
  const budget = 256 * 1024;
  const tb = await startTempBroker({ maxQueuedRequestBytes: budget, maxRequestBytes: 1024 * 1024 });
  const sockets: Socket[] = [];
  try {
    // Each connection announces a 1 MiB frame and sends 200 KiB of it, then stalls.
    const chunk = Buffer.alloc(200 * 1024, 1);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(1024 * 1024);
    for (let i = 0; i < 8; i++) {
      const s = await open(tb.broker.address.port);
      s.on('error', () => {});
      s.write(prefix);
      s.write(chunk);
      sockets.push(s);
    }
    // Give the broker the chance to read whatever it is willing to read.
    const client = await WireClient.connect(tb.broker.address.port);
    await new Promise((r) => setTimeout(r, 200));
    const held = tb.broker.bufferedRequestBytes;
    const slack = sockets.length * 64 * 1024;
    assert.ok(held <= budget + slack, `held ${held} bytes, budget ${budget} + one 64 KiB read per connection`);
    assert.ok(held > 0, 'the partial frames are held, not dropped');
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const md = await client.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    assert.equal(md.brokers.length, 1, 'once hostile connections go, the budget frees and clients are served');
    client.close();
  } finally {
    for (const s of sockets) s.destroy();
    await tb.dispose();
  }
});
