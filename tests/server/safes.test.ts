import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends, type Running, startServer } from './helpers/harness';
import { type Account, item } from './helpers/api';

describe.each(backends)('safes (%s)', (backend) => {
  let s: Running;
  let a: Account;
  beforeAll(async () => {
    s = await startServer(backend);
    a = await s.api.signup('safes');
  });
  afterAll(async () => s?.stop());

  const auth = () => ({ token: a.token, org: a.orgId });

  it('creates, lists, reads, renames and deletes a safe', async () => {
    expect((await s.api.get('/api/v1/safes', auth())).body).toEqual([]);
    const created = await s.api.post('/api/v1/safes', { ...auth(), body: { name: 'Production' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'Production' });
    const id = created.body.id;

    const list = await s.api.get('/api/v1/safes', auth());
    expect(list.status).toBe(200);
    expect(list.body.map((x: { id: string; name: string }) => [x.id, x.name])).toEqual([[id, 'Production']]);

    expect((await s.api.get(`/api/v1/safes/${id}`, auth())).body.name).toBe('Production');
    const renamed = await s.api.patch(`/api/v1/safes/${id}`, { ...auth(), body: { name: 'Prod' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Prod');
    expect((await s.api.get(`/api/v1/safes/${id}`, auth())).body.name).toBe('Prod');

    expect((await s.api.delete(`/api/v1/safes/${id}`, auth())).status).toBe(204);
    expect((await s.api.get(`/api/v1/safes/${id}`, auth())).status).toBe(404);
    expect((await s.api.delete(`/api/v1/safes/${id}`, auth())).status).toBe(404);
    expect((await s.api.get('/api/v1/safes', auth())).body).toEqual([]);
  });

  it('keeps a ciphertext name exactly as given', async () => {
    const name = 'v1.AAAAAAAAAAAAAAAA.3q2+7w==';
    const res = await s.api.post('/api/v1/safes', { ...auth(), body: { name } });
    expect((await s.api.get(`/api/v1/safes/${res.body.id}`, auth())).body.name).toBe(name);
  });

  it('rejects bad input with 400 and changes nothing', async () => {
    const id = await s.api.createSafe(a, 'Keep');
    for (const body of [{}, { name: '' }, { name: 42 }, [], { name: 'x'.repeat(5000) }]) {
      expect((await s.api.post('/api/v1/safes', { ...auth(), body })).status).toBe(400);
      expect((await s.api.patch(`/api/v1/safes/${id}`, { ...auth(), body })).status).toBe(400);
    }
    expect((await s.api.post('/api/v1/safes', { ...auth(), raw: '{"name":' })).status).toBe(400);
    expect((await s.api.get(`/api/v1/safes/${id}`, auth())).body.name).toBe('Keep');
  });

  it('needs a token (401) and the X-Active-Org-Id header (400)', async () => {
    expect((await s.api.get('/api/v1/safes', { org: a.orgId })).status).toBe(401);
    expect((await s.api.post('/api/v1/safes', { org: a.orgId, body: { name: 'x' } })).status).toBe(401);
    const missing = await s.api.get('/api/v1/safes', { token: a.token });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('missing_org');
    expect((await s.api.get('/api/v1/safes', { token: a.token, org: 'not-a-uuid' })).status).toBe(400);
  });

  it('answers 404 for unknown and malformed safe ids', async () => {
    for (const id of [randomUUID(), 'nope']) {
      expect((await s.api.get(`/api/v1/safes/${id}`, auth())).status).toBe(404);
      expect((await s.api.patch(`/api/v1/safes/${id}`, { ...auth(), body: { name: 'x' } })).status).toBe(404);
      expect((await s.api.delete(`/api/v1/safes/${id}`, auth())).status).toBe(404);
    }
  });

  it('creates a safe with the id the client chose, lower-cased', async () => {
    const id = randomUUID();
    const created = await s.api.post('/api/v1/safes', { ...auth(), body: { id: id.toUpperCase(), name: 'Chosen' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id, name: 'Chosen', created_at: expect.any(String), updated_at: expect.any(String) });
    expect((await s.api.get(`/api/v1/safes/${id}`, auth())).body).toEqual(created.body);
    // Items can be written into it at once.
    expect((await s.api.push(a, [item(`in-${id}`, id)])).body.results[0].ok).toBe(true);
  });

  it('answers a retry of the same id in the same org with 200 and the safe unchanged', async () => {
    const id = randomUUID();
    const first = await s.api.post('/api/v1/safes', { ...auth(), body: { id, name: 'First' } });
    expect(first.status).toBe(201);
    const retry = await s.api.post('/api/v1/safes', { ...auth(), body: { id: id.toUpperCase(), name: 'Second' } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const list = (await s.api.get('/api/v1/safes', auth())).body as { id: string }[];
    expect(list.filter((x) => x.id === id)).toHaveLength(1);
  });

  it('creates a safe once when the same id is sent twice at the same moment', async () => {
    const id = randomUUID();
    const replies = await Promise.all([1, 2, 3].map(() => s.api.post('/api/v1/safes', { ...auth(), body: { id, name: 'Racing' } })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    for (const r of replies) expect(r.body.id).toBe(id);
    const list = (await s.api.get('/api/v1/safes', auth())).body as { id: string }[];
    expect(list.filter((x) => x.id === id)).toHaveLength(1);
  });

  it("answers 409 for another org's safe id and tells nothing about that safe", async () => {
    const other = await s.api.signup('other-org');
    const theirs = await s.api.post('/api/v1/safes', {
      token: other.token,
      org: other.orgId,
      body: { id: randomUUID(), name: 'Their secret name' },
    });
    expect(theirs.status).toBe(201);
    const id = theirs.body.id as string;
    const clash = await s.api.post('/api/v1/safes', { ...auth(), body: { id, name: 'Mine' } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('conflict');
    expect(clash.body.error.message).toMatch(/already in use/);
    const text = JSON.stringify(clash.body);
    for (const secret of ['Their secret name', other.orgId, theirs.body.created_at]) expect(text).not.toContain(secret);
    expect(Object.keys(clash.body)).toEqual(['error']);
    // Theirs is untouched, and it did not become ours.
    const still = await s.api.get(`/api/v1/safes/${id}`, { token: other.token, org: other.orgId });
    expect(still.body).toEqual(theirs.body);
    expect((await s.api.get(`/api/v1/safes/${id}`, auth())).status).toBe(404);
  });

  it('refuses an id that is not a UUID with 400 and creates nothing', async () => {
    const before = (await s.api.get('/api/v1/safes', auth())).body.length;
    for (const id of ['nope', '', 42, null, `${randomUUID()}x`]) {
      const res = await s.api.post('/api/v1/safes', { ...auth(), body: { id, name: 'Bad id' } });
      expect(res.status, String(id)).toBe(400);
      expect(res.body.error.message).toMatch(/^id: /);
    }
    expect((await s.api.get('/api/v1/safes', auth())).body.length).toBe(before);
  });

  it('answers 404 JSON for unknown routes', async () => {
    const res = await s.api.get('/api/v1/nothing-here', auth());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
