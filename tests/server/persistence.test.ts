/** A restart (new server, same PGlite directory or PostgreSQL database) keeps everything. */
import { afterAll, describe, expect, it } from 'vitest';
import { backends, createStore, startOn, type Store } from './helpers/harness';
import { item } from './helpers/api';

describe.each(backends)('restart keeps data (%s)', (backend) => {
  let store: Store | undefined;
  afterAll(async () => store?.destroy());

  it('accounts, tokens, safes, items, cursors and made-up prelogin answers survive', async () => {
    store = await createStore(backend, { persistent: true });
    let s = await startOn(store);
    const kdf = { name: 'Argon2id', memoryKiB: 131072, passes: 4, parallelism: 2, salt: 'AAECAwQFBgcICQoLDA0ODw==' };
    const a = await s.api.signup('persist', { kdf, keys: 'wrapped' });
    const safe = await s.api.createSafe(a, 'Kept');
    await s.api.push(a, [item('k1', safe), item('k2', safe)]);
    const { cursor } = (await s.api.sync(a)).body;
    const ghost = (await s.api.get('/api/v1/auth/prelogin?email=ghost@example.test')).body;
    await s.stop();

    s = await startOn(store);
    try {
      // The old token still works; the cursor continues where it was.
      const safes = await s.api.get('/api/v1/safes', { token: a.token, org: a.orgId });
      expect(safes.status).toBe(200);
      expect(safes.body.map((x: { name: string }) => x.name)).toEqual(['Kept']);
      expect((await s.api.sync(a, cursor)).body.items).toEqual([]);
      await s.api.push(a, [item('k1', safe, 1)]);
      const delta = await s.api.sync(a, cursor);
      expect(delta.body.items.map((x: any) => [x.id, x.revision])).toEqual([['k1', 2]]);
      expect((await s.api.sync(a)).body.items).toHaveLength(2);

      const login = await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: a.password } });
      expect(login.body.keys).toBe('wrapped');
      expect((await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(a.email)}`)).body).toEqual({ kdf });
      expect((await s.api.get('/api/v1/auth/prelogin?email=ghost@example.test')).body).toEqual(ghost);
    } finally {
      await s.stop();
    }
  });
});
