import { createServer } from 'node:net';

/** A TCP port free on `host` now, for a server a test stops and starts again on the same address. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject); // e.g. no IPv6 loopback on this machine: the test says so, not "server exited"
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
