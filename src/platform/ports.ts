// Checks, before anything starts, that the embedded parts' ports are free, so that a port in use
// is reported with the flag that changes it and leaves nothing half-started.
import { createServer } from 'node:net';
import { type Part, PlatformError } from './errors.ts';

export interface WantedPort {
  part: Part;
  host: string;
  port: number;
  flag: string;
  key: string;
}

export async function checkPortsFree(wanted: WantedPort[]): Promise<void> {
  for (const w of wanted) {
    if (w.port === 0) continue;
    const problem = await tryListen(w.host, w.port);
    if (problem === undefined) continue;
    const change = `choose another with ${w.flag} PORT (${w.key} in brook.config.json; 0 picks a free port)`;
    const message =
      problem === 'EADDRINUSE'
        ? `port ${w.port} on ${w.host} is already in use (another brook up, a Kafka broker or another server?): stop what holds it, or ${change}`
        : problem === 'EACCES'
          ? `not allowed to listen on ${w.host}:${w.port} (ports below 1024 need privileges): ${change}`
          : problem === 'EADDRNOTAVAIL' || problem === 'ENOTFOUND'
            ? `${w.host} is not an address of this machine: set ${w.key.replace(/port$/, 'host')} to one (127.0.0.1, or 0.0.0.0 for all)`
            : `cannot listen on ${w.host}:${w.port} (${problem}): ${change}`;
    throw new PlatformError(w.part, `${message}. Nothing was started.`);
  }
}

function tryListen(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
