import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer } from './helpers/harness';
import { type Account, item } from './helpers/api';
import { purgeTombstones } from '../../server/sync/purge';

describe.each(backends)('sync: pull and batch writes (%s)', (backend) => {
  let s: Running;
  /** Every statement the server runs, with its parameters. */
  const statements: { query: string; params: unknown[] }[] = [];
  beforeAll(async () => {
    s = await startServer(backend, undefined, { logQuery: (query, params) => statements.push({ query, params }) });
  });
  afterAll(async () => s?.stop());

  async function fresh(): Promise<{ a: Account; safe: string }> {
    const a = await s.api.signup('sync');
    return { a, safe: await s.api.createSafe(a) };
  }

  /** Follows cursors until hasMore is false; returns every item seen and the final cursor. */
  async function drain(a: Account, cursor?: string, limit?: number) {
    const seen: any[] = [];
    for (;;) {
      const res = await s.api.sync(a, cursor, limit);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.cursor;
      if (!res.body.hasMore) return { seen, cursor: cursor!, last: res.body };
    }
  }

  it('writes new items and returns revision 1; the server stores only the opaque fields', async () => {
    const { a, safe } = await fresh();
    const res = await s.api.push(a, [
      { id: 'i1', safe_id: safe, kind: 'secret', baseRevision: 0, ciphertext: { key: 'Y3Qx', value: 'Y3Qy' } },
      item('i2', safe),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: 'i1', ok: true, revision: 1 },
      { id: 'i2', ok: true, revision: 1 },
    ]);
    const pull = await s.api.sync(a);
    const i1 = pull.body.items.find((x: { id: string }) => x.id === 'i1');
    expect(i1).toEqual({
      id: 'i1',
      safe_id: safe,
      kind: 'secret',
      revision: 1,
      deleted: false,
      ciphertext: { key: 'Y3Qx', value: 'Y3Qy' },
      updated_at: expect.any(String),
    });
  });

  it('first pull is a snapshot without tombstones; later deltas carry changes and tombstones', async () => {
    const { a, safe } = await fresh();
    await s.api.push(a, [item('keep', safe), item('gone', safe), item('edit', safe)]);
    await s.api.push(a, [item('gone', safe, 1, { deleted: true })]);

    const first = await s.api.sync(a);
    expect(first.body.snapshot).toBe(true);
    expect(first.body.fullResync).toBe(false);
    expect(first.body.items.map((x: { id: string }) => x.id).sort()).toEqual(['edit', 'keep']);

    expect((await s.api.sync(a, first.body.cursor)).body.items).toEqual([]);

    const edit = await s.api.push(a, [item('edit', safe, 1), item('keep', safe, 1, { deleted: true })]);
    expect(edit.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
    const delta = await s.api.sync(a, first.body.cursor);
    expect(delta.body.snapshot).toBe(false);
    expect(delta.body.items.map((x: any) => [x.id, x.revision, x.deleted])).toEqual([
      ['edit', 2, false],
      ['keep', 2, true],
    ]);
    expect(delta.body.items[1].ciphertext).toEqual({});

    // Resurrecting a deleted item is a normal write on top of the tombstone.
    const back = await s.api.push(a, [item('gone', safe, 2)]);
    expect(back.body.results[0]).toEqual({ id: 'gone', ok: true, revision: 3 });
    const delta2 = await s.api.sync(a, delta.body.cursor);
    expect(delta2.body.items.map((x: any) => [x.id, x.revision, x.deleted])).toEqual([['gone', 3, false]]);
  });

  it('pages the snapshot and deltas by limit without skipping or repeating', async () => {
    const { a, safe } = await fresh();
    const ids = Array.from({ length: 25 }, (_, i) => `p${i}`);
    await s.api.push(
      a,
      ids.map((id) => item(id, safe)),
    );
    const { seen, cursor } = await drain(a, undefined, 7);
    expect(seen.map((x) => x.id).sort()).toEqual([...ids].sort());

    await s.api.push(
      a,
      ids.slice(0, 12).map((id) => item(id, safe, 1)),
    );
    const delta = await drain(a, cursor, 5);
    expect(delta.seen.map((x) => x.id).sort()).toEqual(ids.slice(0, 12).sort());
    expect(delta.seen.every((x) => x.revision === 2)).toBe(true);
  });

  it('writes during a paged snapshot arrive in the following delta (cursor taken before the snapshot)', async () => {
    const { a, safe } = await fresh();
    await s.api.push(
      a,
      Array.from({ length: 10 }, (_, i) => item(`s${i}`, safe)),
    );
    const page1 = await s.api.sync(a, undefined, 4);
    expect(page1.body.hasMore).toBe(true);
    const delivered = page1.body.items.map((x: { id: string }) => x.id);
    // Change one delivered item and one not yet delivered, delete one delivered, add one new.
    const notYet = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'].find((id) => !delivered.includes(id))!;
    await s.api.push(a, [
      item(delivered[0], safe, 1),
      item(notYet, safe, 1),
      item(delivered[1], safe, 1, { deleted: true }),
      item('late', safe),
    ]);
    const rest = await drain(a, page1.body.cursor, 4);
    const all = [...page1.body.items, ...rest.seen];
    const latest = new Map<string, any>();
    for (const x of all) latest.set(x.id, x);
    expect(latest.get(delivered[0]).revision).toBe(2);
    expect(latest.get(notYet).revision).toBe(2);
    expect(latest.get(delivered[1]).deleted).toBe(true);
    expect(latest.get('late').revision).toBe(1);
    expect([...latest.values()].filter((x) => !x.deleted)).toHaveLength(10);
  });

  it('a one-item change gives a one-item delta', async () => {
    const { a, safe } = await fresh();
    await s.api.push(
      a,
      Array.from({ length: 50 }, (_, i) => item(`o${i}`, safe)),
    );
    const { cursor } = await drain(a);
    const before = (await s.api.sync(a, cursor)).body.seq;
    await s.api.push(a, [item('o7', safe, 1)]);
    const delta = await s.api.sync(a, cursor);
    expect(delta.body.items.map((x: { id: string }) => x.id)).toEqual(['o7']);
    // The org's change sequence it brings the device up to: the one a live poke for this write carries.
    expect(delta.body.seq).toBe(before + 1);
    expect((await s.api.sync(a, delta.body.cursor)).body).toMatchObject({ items: [], seq: before + 1 });
  });

  it('a stale write is a conflict carrying the server copy and never overwrites', async () => {
    const { a, safe } = await fresh();
    await s.api.push(a, [item('c', safe)]);
    const win = await s.api.push(a, [{ ...item('c', safe, 1), ciphertext: { blob: 'winner' } }]);
    expect(win.body.results[0]).toEqual({ id: 'c', ok: true, revision: 2 });
    const lose = await s.api.push(a, [{ ...item('c', safe, 1), ciphertext: { blob: 'loser' } }, item('fine', safe)]);
    expect(lose.status).toBe(200);
    expect(lose.body.results[0]).toEqual({
      id: 'c',
      ok: false,
      conflict: expect.objectContaining({ id: 'c', revision: 2, deleted: false, ciphertext: { blob: 'winner' } }),
    });
    expect(lose.body.results[1]).toEqual({ id: 'fine', ok: true, revision: 1 });
    // Creating an id that exists (base 0) and writing an id that does not (base 3) are conflicts too.
    const dup = await s.api.push(a, [item('c', safe, 0), item('never', safe, 3)]);
    expect(dup.body.results[0].conflict.ciphertext).toEqual({ blob: 'winner' });
    expect(dup.body.results[1]).toEqual({ id: 'never', ok: false, conflict: null });
    const items = (await s.api.sync(a)).body.items;
    expect(items.find((x: { id: string }) => x.id === 'c').ciphertext).toEqual({ blob: 'winner' });
    expect(items.find((x: { id: string }) => x.id === 'never')).toBeUndefined();
  });

  it.each([
    ['no items', { items: [] }],
    ['not an array', { items: 'x' }],
    [
      'missing baseRevision',
      { items: [{ id: 'x', safe_id: '00000000-0000-4000-8000-000000000000', kind: 'secret', ciphertext: { a: 'b' } }] },
    ],
    ['negative revision', { items: [{ ...item('x', '00000000-0000-4000-8000-000000000000'), baseRevision: -1 }] }],
    ['bad id', { items: [item('has space', '00000000-0000-4000-8000-000000000000')] }],
    ['bad safe id', { items: [item('x', 'nope')] }],
    ['non-string ciphertext', { items: [{ ...item('x', '00000000-0000-4000-8000-000000000000'), ciphertext: { a: 1 } }] }],
    ['live item without ciphertext', { items: [{ ...item('x', '00000000-0000-4000-8000-000000000000'), ciphertext: {} }] }],
  ])('rejects a batch with %s (400)', async (_label, body) => {
    const { a } = await fresh();
    const res = await s.api.post('/api/v1/items/batch', { token: a.token, org: a.orgId, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('rejects a whole batch with one bad item or a repeated id; nothing is written', async () => {
    const { a, safe } = await fresh();
    const bad = await s.api.push(a, [item('ok1', safe), { ...item('bad', safe), kind: 'NOT OK' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('kind');
    const twice = await s.api.push(a, [item('same', safe), item('same', safe)]);
    expect(twice.status).toBe(400);
    const unknownSafe = await s.api.push(a, [item('ok2', safe), item('x', '00000000-0000-4000-8000-000000000000')]);
    expect(unknownSafe.status).toBe(404);
    expect((await s.api.sync(a)).body.items).toEqual([]);
  });

  it('rejects bad cursors and limits with 400', async () => {
    const { a } = await fresh();
    for (const q of ['cursor=garbage', 'cursor=eyJ2IjoxfQ', 'limit=0', 'limit=abc', 'limit=1.5', 'limit=100000']) {
      const res = await s.api.get(`/api/v1/sync?${q}`, { token: a.token, org: a.orgId });
      expect(res.status, q).toBe(400);
    }
    expect((await s.api.get('/api/v1/sync', { token: a.token })).status).toBe(400);
    expect((await s.api.get('/api/v1/sync', { org: a.orgId })).status).toBe(401);
    expect((await s.api.post('/api/v1/items/batch', { org: a.orgId, body: { items: [] } })).status).toBe(401);
  });

  it('deleting a safe turns its items into tombstones for other devices', async () => {
    const { a, safe } = await fresh();
    const other = await s.api.createSafe(a, 'Other');
    await s.api.push(a, [item('in1', safe), item('in2', safe), item('out', other)]);
    const { cursor } = await drain(a);
    expect((await s.api.delete(`/api/v1/safes/${safe}`, { token: a.token, org: a.orgId })).status).toBe(204);
    const delta = await s.api.sync(a, cursor);
    expect(delta.body.items.map((x: any) => [x.id, x.deleted]).sort()).toEqual([
      ['in1', true],
      ['in2', true],
    ]);
    expect((await s.api.push(a, [item('new', safe)])).status).toBe(404);
  });

  it('answers an idle poll from the org row alone, without reading items', async () => {
    const { a, safe } = await fresh();
    await s.api.push(a, [item('p1', safe), item('p2', safe)]);
    const { cursor } = await drain(a);
    /** What the server ran for this org (statements of other work do not name its id). */
    const runFor = async (work: () => Promise<unknown>) => {
      statements.length = 0;
      await work();
      return statements.filter((st) => st.params.includes(a.orgId)).map((st) => st.query);
    };
    const readsItems = (queries: string[]) => queries.some((q) => /\bfrom "items"|join[^"]*"items"|"items"\./i.test(q));

    let idle: any;
    const idleQueries = await runFor(async () => (idle = await s.api.sync(a, cursor)));
    expect(idle.status).toBe(200);
    expect(idle.body).toEqual({ items: [], cursor, hasMore: false, snapshot: false, fullResync: false, seq: expect.any(Number) });
    expect(idleQueries.some((q) => q.includes('"orgs"'))).toBe(true);
    expect(readsItems(idleQueries), idleQueries.join('\n')).toBe(false);
    // One round trip in all: the token lookup reads the org's position with the membership.
    expect(idleQueries, idleQueries.join('\n')).toHaveLength(1);
    expect(idleQueries[0]).toMatch(/from "tokens"/);

    // A cursor behind the org's sequence still gets its changes (and that does read items).
    await s.api.push(a, [item('p1', safe, 1)]);
    let behind: any;
    const behindQueries = await runFor(async () => (behind = await s.api.sync(a, cursor)));
    expect(behind.body.items.map((x: { id: string }) => x.id)).toEqual(['p1']);
    expect(behind.body.fullResync).toBe(false);
    expect(readsItems(behindQueries)).toBe(true);

    // Tombstones purged up to the current sequence: the idle cursor is still idle and still
    // reads no items; a cursor from before the deletion gets fullResync.
    await s.api.push(a, [item('p2', safe, 1, { deleted: true })]);
    const { cursor: afterDelete } = await drain(a, behind.body.cursor);
    expect(await purgeTombstones(s.database.db, 0)).toBeGreaterThanOrEqual(1);
    const stillIdleQueries = await runFor(async () => (idle = await s.api.sync(a, afterDelete)));
    expect(idle.body).toEqual({
      items: [],
      cursor: afterDelete,
      hasMore: false,
      snapshot: false,
      fullResync: false,
      seq: expect.any(Number),
    });
    expect(readsItems(stillIdleQueries)).toBe(false);
    const stale = await s.api.sync(a, behind.body.cursor);
    expect(stale.body.fullResync).toBe(true);
    expect(stale.body.items.map((x: { id: string }) => x.id)).toEqual(['p1']);
  });

  it('a cursor older than the tombstone horizon gets fullResync with a fresh snapshot', async () => {
    const { a, safe } = await fresh();
    await s.api.push(a, [item('t1', safe), item('t2', safe)]);
    const { cursor: old } = await drain(a);
    await s.api.push(a, [item('t1', safe, 1, { deleted: true })]);
    const { cursor: recent } = await drain(a, old);

    expect(await purgeTombstones(s.database.db, 0)).toBeGreaterThanOrEqual(1);

    const stale = await s.api.sync(a, old);
    expect(stale.status).toBe(200);
    expect(stale.body.fullResync).toBe(true);
    expect(stale.body.snapshot).toBe(true);
    expect(stale.body.items.map((x: { id: string }) => x.id)).toEqual(['t2']);
    // A cursor taken after the deletion is still good.
    const fine = await s.api.sync(a, recent);
    expect(fine.body.fullResync).toBe(false);
    expect(fine.body.items).toEqual([]);
    // And the resync's cursor continues normally.
    await s.api.push(a, [item('t3', safe)]);
    const next = await s.api.sync(a, stale.body.cursor);
    expect(next.body.fullResync).toBe(false);
    expect(next.body.items.map((x: { id: string }) => x.id)).toEqual(['t3']);
  });
});
