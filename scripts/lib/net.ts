// Loopback ports for the processes the scripts, tests and bench start.
import { createServer } from 'node:net';

/**
 * A port nothing listens on now (bound and released on 127.0.0.1), never one of `avoid`: ports other processes
 * will take later (npm run dev's gateway at the provider's port + 1), which the OS may hand out meanwhile since it
 * allocates ephemeral ports in sequence.
 */
export async function freePort(avoid: readonly number[] = []): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = await anyFreePort();
    if (!avoid.includes(port) || attempt >= 20) return port;
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function listen(port: number): Promise<ReturnType<typeof createServer> | null> {
  return new Promise((resolveServer) => {
    const server = createServer();
    server.once('error', () => resolveServer(null));
    server.listen(port, '127.0.0.1', () => resolveServer(server));
  });
}

/**
 * A port P with P + 1 free too, for `npm run dev --port P` (the gateway takes P + 1): both are held while the
 * pair is checked, so a busy neighbour port is skipped rather than failing the start.
 */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(0);
    if (!first) continue;
    const port = (first.address() as { port: number }).port;
    const second = port < 65535 ? await listen(port + 1) : null;
    await new Promise((r) => first.close(r));
    if (second) {
      await new Promise((r) => second.close(r));
      return port;
    }
  }
  throw new Error('no two adjacent free ports on 127.0.0.1');
}
