/** The address the server prints is one a browser and fetch can use, IPv6 loopback included. */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, startOn, type Running, type Store, testConfig } from './helpers/harness';
import { createServer } from '../../server/server';

describe('the printed address', () => {
  let store: Store;
  const running: Running[] = [];
  afterAll(async () => {
    for (const r of running) await r.stop();
    await store?.destroy();
  });

  it('puts an IPv6 host in brackets, and answers there', async () => {
    store = await createStore('pglite');
    const database = await store.open();
    const server = await createServer({ database, config: testConfig() });
    running.push({
      stop: async () => {
        await server.close();
        await database.close();
      },
    } as Running);
    const { url, port } = await server.listen(0, '::1');
    expect(url).toBe(`http://[::1]:${port}`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('leaves an IPv4 host as it is', async () => {
    const r = await startOn(store);
    running.push(r);
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
