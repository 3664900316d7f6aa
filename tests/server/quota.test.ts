/** Storage quota per account (its personal org): items and ciphertext bytes, 507 `quota_exceeded` past either. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import { item } from './helpers/api';

const blob = (bytes: number) => ({ blob: 'x'.repeat(bytes - 'blob'.length) });

describe.each(backends)('storage quota (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ quota: { items: 3, bytes: 1000 } }));
  });
  afterAll(async () => s?.stop());

  const ids = async (account: Parameters<Running['api']['sync']>[0]) =>
    (await s.api.sync(account)).body.items
      .filter((i: { deleted: boolean }) => !i.deleted)
      .map((i: { id: string }) => i.id)
      .sort();

  it('refuses a batch past the item quota whole, with words, and takes deletions when full', async () => {
    const a = await s.api.signup('quota-items');
    const safe = await s.api.createSafe(a);
    expect((await s.api.push(a, [item('a', safe), item('b', safe), item('c', safe)])).status).toBe(200);
    const over = await s.api.push(a, [item('d', safe)]);
    expect(over.status).toBe(507);
    expect(over.body.error.code).toBe('quota_exceeded');
    expect(over.body.error.message).toMatch(
      /^This account's storage on the server is full \(3 items and 1000 bytes at most; this write would make 4 items/,
    );
    expect(await ids(a)).toEqual(['a', 'b', 'c']);
    // A batch mixing a deletion and a new item stays within: accepted.
    const swap = await s.api.push(a, [item('a', safe, 1, { deleted: true, ciphertext: {} }), item('d', safe)]);
    expect(swap.status).toBe(200);
    expect(await ids(a)).toEqual(['b', 'c', 'd']);
    // Editing an item in place does not count it twice.
    expect((await s.api.push(a, [item('b', safe, 1)])).status).toBe(200);
    // Another account has its own quota.
    const b = await s.api.signup('quota-other');
    const safeB = await s.api.createSafe(b);
    expect((await s.api.push(b, [item('x', safeB), item('y', safeB), item('z', safeB)])).status).toBe(200);
  });

  it('refuses growth past the byte quota, and lets values shrink (kinds whose earlier versions are not kept)', async () => {
    const a = await s.api.signup('quota-bytes');
    const safe = await s.api.createSafe(a);
    // A personal override: the server keeps no earlier version of it, only of secrets (below).
    const override = { kind: 'override' };
    expect((await s.api.push(a, [item('big', safe, 0, { ...override, ciphertext: blob(900) })])).status).toBe(200);
    const grow = await s.api.push(a, [item('more', safe, 0, { ciphertext: blob(101) })]);
    expect(grow.status).toBe(507);
    expect(grow.body.error.code).toBe('quota_exceeded');
    expect((await s.api.push(a, [item('more', safe, 0, { ciphertext: blob(100) })])).status).toBe(200); // exactly 1000
    expect((await s.api.push(a, [item('big', safe, 1, { ...override, ciphertext: blob(901) })])).status).toBe(507);
    expect((await s.api.push(a, [item('big', safe, 1, { ...override, ciphertext: blob(500) })])).status).toBe(200);
    expect(await ids(a)).toEqual(['big', 'more']);
  });

  const kept = async (account: Parameters<Running['api']['sync']>[0], id: string) =>
    (await s.api.get(`/api/v1/items/${id}/revisions`, { token: account.token, org: account.orgId })).body.revisions.map(
      (r: { revision: number }) => r.revision,
    );

  it("counts a secret's kept earlier versions toward the byte quota: an edit past it is refused and changes nothing", async () => {
    const a = await s.api.signup('quota-revisions');
    const safe = await s.api.createSafe(a);
    expect((await s.api.push(a, [item('edited', safe, 0, { ciphertext: blob(250) })])).status).toBe(200);
    // Each edit keeps the 250 bytes it replaces: 500, 750, then exactly 1000.
    for (const base of [1, 2, 3]) expect((await s.api.push(a, [item('edited', safe, base, { ciphertext: blob(250) })])).status).toBe(200);
    const over = await s.api.push(a, [item('edited', safe, 4, { ciphertext: blob(250) })]);
    expect(over.status).toBe(507);
    expect(over.body.error.message).toMatch(/this write would make 1 items and 1250 bytes\)/);
    expect(await kept(a, 'edited')).toEqual([3, 2, 1]);
    expect((await s.api.sync(a)).body.items.map((i: { revision: number }) => i.revision)).toEqual([4]);
    // Deleting still passes when full; its last live copy is kept until the tombstone is purged.
    expect((await s.api.push(a, [item('edited', safe, 4, { deleted: true, ciphertext: {} })])).status).toBe(200);
    expect(await kept(a, 'edited')).toEqual([4, 3, 2, 1]);
  });

  it('frees the bytes of the versions dropped past 20, so a secret edited for ever stays within its quota', async () => {
    const a = await s.api.signup('quota-trimmed');
    const safe = await s.api.createSafe(a);
    // 40 bytes a version: 21 versions (the item and 20 kept) are 840 bytes; 25 would be the quota.
    for (let base = 0; base < 30; base++) {
      const res = await s.api.push(a, [item('rotated', safe, base, { ciphertext: blob(40) })]);
      expect(res.status, `version ${base + 1}`).toBe(200);
    }
    expect(await kept(a, 'rotated')).toEqual(Array.from({ length: 20 }, (_, i) => 29 - i));
    // What is counted is what is stored: 840 bytes, so 160 fit and 161 do not.
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(161) })])).status).toBe(507);
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(160) })])).status).toBe(200);
    // Past the quota (a deletion always passes, and its remains and last copy count): growth is
    // refused, but an edit that drops a kept version as it keeps one of the same size grows nothing.
    expect((await s.api.push(a, [item('next', safe, 1, { deleted: true, ciphertext: { gone: 'A'.repeat(300) } })])).status).toBe(200);
    expect((await s.api.push(a, [item('more', safe, 0, { ciphertext: blob(10) })])).status).toBe(507);
    expect((await s.api.push(a, [item('rotated', safe, 30, { ciphertext: blob(40) })])).status).toBe(200);
    expect((await s.api.push(a, [item('rotated', safe, 31, { ciphertext: blob(41) })])).status).toBe(507);
  });

  it("counts what a tombstone keeps (a deleted secret's sealed remains) toward later writes, yet always takes the deletion", async () => {
    const a = await s.api.signup('quota-tombstones');
    const safe = await s.api.createSafe(a);
    expect((await s.api.push(a, [item('kept', safe, 0, { ciphertext: blob(100) })])).status).toBe(200);
    // The remains may be larger than the item was: the deletion still passes, so a full account can be tidied.
    const remains = { ver: '2', gone: 'A'.repeat(700) };
    expect((await s.api.push(a, [item('kept', safe, 1, { deleted: true, ciphertext: remains })])).status).toBe(200);
    // 708 bytes kept (`ver` and `gone`, names included), and the 100 of the last live copy (a kept
    // revision): a new item of 250 would pass the quota without them, and is refused with them; 192
    // makes exactly 1000.
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(250) })])).status).toBe(507);
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(193) })])).status).toBe(507);
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(192) })])).status).toBe(200);
  });

  it('frees what a secret held, its kept versions included, once it is deleted forever: a full account makes room at once', async () => {
    const a = await s.api.signup('quota-erased');
    const safe = await s.api.createSafe(a);
    for (const base of [0, 1, 2]) expect((await s.api.push(a, [item('old', safe, base, { ciphertext: blob(200) })])).status).toBe(200);
    expect((await s.api.push(a, [item('old', safe, 3, { deleted: true, ciphertext: { ver: '4', gone: 'A'.repeat(300) } })])).status).toBe(
      200,
    );
    // 600 bytes of kept versions and 311 of the tombstone: no room for 100 more.
    expect(await kept(a, 'old')).toEqual([3, 2, 1]);
    expect((await s.api.push(a, [item('new', safe, 0, { ciphertext: blob(100) })])).status).toBe(507);
    const { cursor } = (await s.api.sync(a)).body;
    // Deleted forever (a deletion over its deletion saying `erase`, its seal without remains): its
    // kept versions go, and the 100 bytes fit.
    const erase = { ver: '5', gone: 'AAAA', erase: '1' };
    expect((await s.api.push(a, [item('old', safe, 4, { deleted: true, ciphertext: erase })])).status).toBe(200);
    expect(await kept(a, 'old')).toEqual([]);
    expect((await s.api.push(a, [item('new', safe, 0, { ciphertext: blob(100) })])).status).toBe(200);
    // The tombstone stays, for other devices' deltas: it keeps its version and its new seal only.
    const tombstone = (await s.api.sync(a, cursor)).body.items.find((i: { id: string }) => i.id === 'old');
    expect(tombstone).toMatchObject({ deleted: true, revision: 5, ciphertext: { ver: '5', gone: 'AAAA' } });
  });

  it('deleted forever before its deletion was sent (over the live item): nothing of it is kept either', async () => {
    const a = await s.api.signup('quota-erased-live');
    const safe = await s.api.createSafe(a);
    for (const base of [0, 1]) expect((await s.api.push(a, [item('live', safe, base, { ciphertext: blob(300) })])).status).toBe(200);
    expect(await kept(a, 'live')).toEqual([1]);
    expect(
      (await s.api.push(a, [item('live', safe, 2, { deleted: true, ciphertext: { ver: '3', gone: 'AAAA', erase: '1' } })])).status,
    ).toBe(200);
    expect(await kept(a, 'live')).toEqual([]);
    // All 1,000 bytes are free again but the tombstone's 12 (`ver`, `3`, `gone`, `AAAA`).
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(989) })])).status).toBe(507);
    expect((await s.api.push(a, [item('next', safe, 0, { ciphertext: blob(988) })])).status).toBe(200);
  });
});
