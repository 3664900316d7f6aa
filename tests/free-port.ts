import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 now, for a server a test stops and starts again on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
