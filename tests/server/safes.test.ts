import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends, type Running, startServer } from './helpers/harness';
import type { Account } from './helpers/api';

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

  it('answers 404 JSON for unknown routes', async () => {
    const res = await s.api.get('/api/v1/nothing-here', auth());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
