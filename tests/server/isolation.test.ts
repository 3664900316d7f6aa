/** Two users trying each other's orgs and safes on every org-scoped route: 403 or 404, never data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer } from './helpers/harness';
import { type Account, item } from './helpers/api';

describe.each(backends)('isolation between users (%s)', (backend) => {
  let s: Running;
  let alice: Account;
  let mallory: Account;
  let aliceSafe: string;
  let mallorySafe: string;
  let aliceCursor: string;

  beforeAll(async () => {
    s = await startServer(backend);
    alice = await s.api.signup('alice');
    mallory = await s.api.signup('mallory');
    aliceSafe = await s.api.createSafe(alice, 'Alice secrets');
    mallorySafe = await s.api.createSafe(mallory, 'Mallory');
    expect((await s.api.push(alice, [item('alice-1', aliceSafe)])).body.results[0].ok).toBe(true);
    aliceCursor = (await s.api.sync(alice)).body.cursor;
  });
  afterAll(async () => s?.stop());

  /** Mallory's token with Alice's org id. */
  const intoAliceOrg = () => ({ token: mallory.token, org: alice.orgId });
  /** Mallory's token and org, Alice's resources. */
  const ownOrg = () => ({ token: mallory.token, org: mallory.orgId });

  it("memberships list only the caller's orgs", async () => {
    const res = await s.api.get('/api/v1/org/memberships', { token: mallory.token });
    expect(res.body.memberships.map((m: { org_id: string }) => m.org_id)).toEqual([mallory.orgId]);
  });

  it('403 on every route with an org the caller is not a member of', async () => {
    const calls = [
      s.api.get('/api/v1/safes', intoAliceOrg()),
      s.api.post('/api/v1/safes', { ...intoAliceOrg(), body: { name: 'planted' } }),
      s.api.get(`/api/v1/safes/${aliceSafe}`, intoAliceOrg()),
      s.api.patch(`/api/v1/safes/${aliceSafe}`, { ...intoAliceOrg(), body: { name: 'pwned' } }),
      s.api.delete(`/api/v1/safes/${aliceSafe}`, intoAliceOrg()),
      s.api.get('/api/v1/sync', intoAliceOrg()),
      s.api.get(`/api/v1/sync?cursor=${aliceCursor}`, intoAliceOrg()),
      s.api.post('/api/v1/items/batch', { ...intoAliceOrg(), body: { items: [item('alice-1', aliceSafe, 1)] } }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(JSON.stringify(res.body)).not.toContain('ct-alice');
    }
  });

  it("404 on every safe route for another org's safe, even with the caller's own org", async () => {
    expect((await s.api.get(`/api/v1/safes/${aliceSafe}`, ownOrg())).status).toBe(404);
    expect((await s.api.patch(`/api/v1/safes/${aliceSafe}`, { ...ownOrg(), body: { name: 'pwned' } })).status).toBe(404);
    expect((await s.api.delete(`/api/v1/safes/${aliceSafe}`, ownOrg())).status).toBe(404);
    const list = await s.api.get('/api/v1/safes', ownOrg());
    expect(list.body.map((x: { id: string }) => x.id)).toEqual([mallorySafe]);
  });

  it("cannot write items into another org's safe (404, nothing written)", async () => {
    const res = await s.api.post('/api/v1/items/batch', {
      ...ownOrg(),
      body: { items: [item('planted', mallorySafe), item('alice-1', aliceSafe, 1)] },
    });
    expect(res.status).toBe(404);
    expect((await s.api.sync(mallory)).body.items).toEqual([]);
  });

  it("item ids are per org: the same id in another org does not touch Alice's item", async () => {
    const res = await s.api.push(mallory, [item('alice-1', mallorySafe)]);
    expect(res.body.results).toEqual([{ id: 'alice-1', ok: true, revision: 1 }]);
    const aliceView = (await s.api.sync(alice)).body.items;
    expect(aliceView).toHaveLength(1);
    expect(aliceView[0].safe_id).toBe(aliceSafe);
    expect(aliceView[0].ciphertext.blob).toMatch(/^ct-alice-1-0-/);
  });

  it("refuses another org's cursor with 400", async () => {
    const res = await s.api.sync(mallory, aliceCursor);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_cursor');
  });

  it("Alice's data is unchanged after all that", async () => {
    expect((await s.api.get(`/api/v1/safes/${aliceSafe}`, { token: alice.token, org: alice.orgId })).body.name).toBe('Alice secrets');
    const list = await s.api.get('/api/v1/safes', { token: alice.token, org: alice.orgId });
    expect(list.body).toHaveLength(1);
  });
});
