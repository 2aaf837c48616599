// Binds a server to host:port with errors a person can act on (port in use, port not allowed).
import type { Server } from 'node:net';
import { BrookError } from './errors.ts';

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new BrookError('PORT_IN_USE', `port ${port} on ${host} is already in use: stop what holds it or pass --port`, { cause: err }),
        );
      } else if (err.code === 'EACCES') {
        reject(new BrookError('PORT_DENIED', `not allowed to listen on ${host}:${port}: use a port above 1023`, { cause: err }));
      } else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
