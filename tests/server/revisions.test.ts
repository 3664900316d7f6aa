/**
 * GET /api/v1/items/:id/revisions: the server keeps each secret's overwritten versions (at most 20,
 * newest first, in the pull's item shape), keeps a deleted secret's last live copy, and lets them go
 * with the tombstone's purge. Nothing about another org's items is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { purgeTombstones } from '../../server/sync/purge';
import { RevisionsAnswer, type WireItem } from '../../lib/sync/wire';
import { backends, type Running, startServer } from './helpers/harness';
import { type Account, item } from './helpers/api';

describe.each(backends)('kept revisions (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
  });
  afterAll(async () => s?.stop());

  const revisions = (account: Account, id: string, as: Account = account) =>
    s.api.get(`/api/v1/items/${encodeURIComponent(id)}/revisions`, { token: as.token, org: as.orgId });
  /** The answer, checked against the wire contract the client reads it with. */
  const kept = async (account: Account, id: string): Promise<WireItem[]> => {
    const res = await revisions(account, id);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return RevisionsAnswer.parse(res.body).revisions;
  };
  const rowsIn = async (orgId: string) => {
    const result = await s.database.db.execute(sql`select count(*)::int as n from item_revisions where org_id = ${orgId}`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
    return Number(rows[0]!.n);
  };

  it('keeps the 20 newest overwritten versions of a secret pushed 25 times, each as the pull showed it', async () => {
    const a = await s.api.signup('revisions');
    const safe = await s.api.createSafe(a);
    // Every version as the pull gave it, to compare with what is kept.
    const seen: WireItem[] = [];
    let cursor = (await s.api.sync(a)).body.cursor as string;
    for (let version = 1; version <= 25; version++) {
      const write = item('api-key', safe, version - 1, { ciphertext: { ver: String(version), value: `sealed-${version}` } });
      const pushed = await s.api.push(a, [write]);
      expect(pushed.body.results).toEqual([{ id: 'api-key', ok: true, revision: version }]);
      const page = await s.api.sync(a, cursor);
      cursor = page.body.cursor;
      seen.push(page.body.items.find((i: WireItem) => i.id === 'api-key'));
    }
    const list = await kept(a, 'api-key');
    // Revisions 24 down to 5: the live copy (25) is the item itself; 1–4 were dropped as newer came.
    expect(list.map((r) => r.revision)).toEqual(Array.from({ length: 20 }, (_, i) => 24 - i));
    expect(list).toEqual(seen.slice(4, 24).reverse());
    expect(list[0]).toMatchObject({ kind: 'secret', safe_id: safe, deleted: false, ciphertext: { ver: '24', value: 'sealed-24' } });
    expect(await rowsIn(a.orgId)).toBe(20);
    // A secret never overwritten has none; an edit of another kind keeps nothing.
    expect((await s.api.push(a, [item('fresh', safe), item('env-1', safe, 0, { kind: 'environment' })])).status).toBe(200);
    expect((await s.api.push(a, [item('env-1', safe, 1, { kind: 'environment' })])).status).toBe(200);
    expect(await kept(a, 'fresh')).toEqual([]);
    expect(await kept(a, 'env-1')).toEqual([]);
  });

  it('answers an unknown id and another org’s id alike, with an empty list, and a malformed id with 400', async () => {
    const a = await s.api.signup('revisions-owner');
    const b = await s.api.signup('revisions-stranger');
    const safe = await s.api.createSafe(a);
    expect((await s.api.push(a, [item('shared-name', safe)])).status).toBe(200);
    expect((await s.api.push(a, [item('shared-name', safe, 1)])).status).toBe(200);
    expect(await kept(a, 'shared-name')).toHaveLength(1);

    const stranger = await revisions(a, 'shared-name', b);
    const unknown = await revisions(b, 'no-such-item');
    expect(stranger.status).toBe(200);
    expect(stranger.body).toEqual({ revisions: [] });
    expect(unknown.body).toEqual(stranger.body);
    // Naming the owner's org from another account is refused by membership, as on every sync route.
    const foreignOrg = await s.api.get('/api/v1/items/shared-name/revisions', { token: b.token, org: a.orgId });
    expect(foreignOrg.status).toBe(403);
    expect((await s.api.get('/api/v1/items/shared-name/revisions', { org: a.orgId })).status).toBe(401);

    for (const bad of ['a b', 'x'.repeat(129), 'ünïcode', 'semi;colon']) {
      const res = await revisions(a, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid_input', message: expect.stringMatching(/^id: Item ids are 1–128/) } });
    }
  });

  it("keeps a deleted secret's last live copy, and lets it go when the tombstone is purged", async () => {
    const a = await s.api.signup('revisions-deleted');
    const safe = await s.api.createSafe(a);
    const stays = item('stays', safe);
    expect((await s.api.push(a, [item('gone', safe, 0, { ciphertext: { value: 'first' } }), stays])).status).toBe(200);
    expect((await s.api.push(a, [item('gone', safe, 1, { ciphertext: { value: 'last' } }), item('stays', safe, 1)])).status).toBe(200);
    const deletion = item('gone', safe, 2, { deleted: true, ciphertext: { ver: '3', gone: 'c2VhbGVk' } });
    expect((await s.api.push(a, [deletion])).body.results).toEqual([{ id: 'gone', ok: true, revision: 3 }]);
    const list = await kept(a, 'gone');
    expect(list.map((r) => [r.revision, r.deleted, r.ciphertext])).toEqual([
      [2, false, { value: 'last' }],
      [1, false, { value: 'first' }],
    ]);
    // Deleting again (a tombstone over a tombstone) keeps nothing more.
    expect((await s.api.push(a, [{ ...deletion, baseRevision: 3 }])).status).toBe(200);
    expect(await kept(a, 'gone')).toHaveLength(2);
    expect(await rowsIn(a.orgId)).toBe(3);

    // Purged with a retention of 0 s: the tombstone and its revisions go, the live secret's stay.
    expect(await purgeTombstones(s.database.db, 0)).toBeGreaterThanOrEqual(1);
    expect(await kept(a, 'gone')).toEqual([]);
    expect((await kept(a, 'stays')).map((r) => r.revision)).toEqual([1]);
    expect(await rowsIn(a.orgId)).toBe(1);
  });
});
