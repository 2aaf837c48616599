// One end of the raw loopback TCP baseline, run as its own process: `sink <bytes>` listens on an
// ephemeral 127.0.0.1 port (printed first) and reports first-to-last byte time; `source <port> <bytes> <write>` pushes.
import { connect, createServer } from 'node:net';

const [mode, a, b, c] = process.argv.slice(2);
const deadline = setTimeout(() => {
  console.error('tcp-peer: time limit reached');
  process.exit(2);
}, 120_000);

if (mode === 'sink') {
  const expected = Number(a);
  const server = createServer((socket) => {
    let got = 0;
    let first = 0n;
    socket.on('data', (chunk: Buffer) => {
      if (got === 0) first = process.hrtime.bigint();
      got += chunk.length;
      if (got >= expected) {
        const ms = Number(process.hrtime.bigint() - first) / 1e6;
        const cpu = process.cpuUsage();
        console.log(JSON.stringify({ bytes: got, ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
        clearTimeout(deadline);
        socket.destroy();
        server.close();
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    console.log(typeof addr === 'object' && addr ? addr.port : -1);
  });
} else if (mode === 'source') {
  const total = Number(b);
  const chunk = Buffer.alloc(Number(c), 'x');
  const socket = connect(Number(a), '127.0.0.1', () => {
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      socket.end();
      clearTimeout(deadline);
    };
    pump();
  });
  socket.on('error', () => {});
} else {
  console.error('usage: tcp-peer.ts sink <bytes> | source <port> <bytes> <writeBytes>');
  process.exit(1);
}
