// Loopback ports for the processes the scripts, tests and bench start.
import { createServer } from 'node:net';

/** A port nothing listens on now (bound and released on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
