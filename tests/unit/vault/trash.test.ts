// Recently deleted: a secret deleted one by one comes back for 30 days, with its history, as a new
// version above its deletion; its remains are sealed inside the deletion.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry, TrashRecord } from '../../../lib/vault/schema';
import { dumpAll, dumpText, editRecord, getRecord, makeVault, rejection } from './helpers';

const where = { appName: 'Personal', envName: 'Development' };
const DAY = 24 * 60 * 60 * 1000;

describe('Recently deleted', () => {
  it('lists a deleted secret by name, safe and environment, and brings it back with its value and history, above the deletion', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const t = await makeVault({ now: () => clock });
    const [made] = await t.vault.create({ ...where, secretPath: '/api', keyValuePairs: { STRIPE_KEY: 'sk-one' } });
    const id = made!.id;
    await t.vault.update({ ...where, id, secretPath: '/api', value: 'sk-two' });
    clock += 1000;
    await t.vault.delete({ ...where, id });
    expect(await t.vault.get({ ...where, secretPath: '/api' })).toEqual([]);

    const [listed] = await t.vault.recentlyDeleted();
    expect(listed).toMatchObject({ id, key: 'STRIPE_KEY', path: '/api', safeName: 'Personal', envName: 'Development', deletedAt: clock });
    // Sealed: the remains show nowhere in the clear, and the queued deletion carries them as they were sealed.
    expect(dumpText(await dumpAll(t.factory))).not.toContain('sk-two');
    const trash = await getRecord<TrashRecord>(t.factory, 'trash', id);
    const tombstone = await getRecord<OutboxEntry>(t.factory, 'outbox', id);
    expect([tombstone.deleted, tombstone.gone, tombstone.sealed]).toEqual([true, trash.ver, trash.sealed]);
    expect(trash.ver).toBe(3);

    const back = await t.vault.restoreDeleted(id);
    expect([back.key, back.value, back.path]).toEqual(['STRIPE_KEY', 'sk-two', '/api']);
    const history = await t.vault.history(id);
    expect(history.current.ver).toBe(trash.ver + 1);
    expect(history.versions.map((v) => v.ver)).toEqual([1]);
    expect((await t.vault.revealVersion(id, 1)).value).toBe('sk-one');
    expect(await t.vault.recentlyDeleted()).toEqual([]);
    expect((await rejection(t.vault.restoreDeleted(id))).code).toBe('not_found');
  });

  it('refuses to bring one back over a secret that took its name, changing nothing', async () => {
    const t = await makeVault();
    const [made] = await t.vault.create({ ...where, keyValuePairs: { TOKEN: 'old' } });
    await t.vault.deleteById(made!.id);
    await t.vault.create({ ...where, keyValuePairs: { TOKEN: 'new' } });
    const clash = await rejection(t.vault.restoreDeleted(made!.id));
    expect(clash.code).toBe('duplicate');
    expect((await t.vault.get(where)).map((s) => s.value)).toEqual(['new']);
    expect(await t.vault.recentlyDeleted()).toHaveLength(1);
  });

  it('deletes one forever: off the list, its deletion sealed again above the listed one with nothing inside, and it cannot come back', async () => {
    const t = await makeVault();
    const [made] = await t.vault.create({ ...where, keyValuePairs: { ERASE_ME: 'sk-gone' } });
    const id = made!.id;
    await t.vault.deleteById(id);
    const listed = await getRecord<TrashRecord>(t.factory, 'trash', id);
    await t.vault.deleteForever(id);
    expect(await t.vault.recentlyDeleted()).toEqual([]);
    const queued = await getRecord<OutboxEntry>(t.factory, 'outbox', id);
    // The deletion was never sent (no sync here): the erase takes its place, based on what it was
    // (no server revision, and no version the server had shown).
    expect(queued).toMatchObject({ deleted: true, erase: true, over: listed.ver, rev: 0, ver: 0, gone: listed.ver + 1 });
    expect(queued.sealed).not.toBe(listed.sealed);
    // Nothing of it is left on this device, sealed or not.
    expect(dumpText(await dumpAll(t.factory))).not.toContain(listed.sealed);
    expect((await rejection(t.vault.restoreDeleted(id))).code).toBe('not_found');
  });

  it('refuses to delete forever what is not in Recently deleted, changing nothing', async () => {
    const t = await makeVault();
    const [kept] = await t.vault.create({ ...where, keyValuePairs: { LIVE: 'v' } });
    const before = dumpText(await dumpAll(t.factory));
    for (const id of [kept!.id, 'no-such-id']) expect((await rejection(t.vault.deleteForever(id))).code).toBe('not_found');
    expect(dumpText(await dumpAll(t.factory))).toBe(before);
    expect((await t.vault.get(where)).map((s) => s.value)).toEqual(['v']);
  });

  it('forgets a deletion after 30 days', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const t = await makeVault({ now: () => clock });
    const [made] = await t.vault.create({ ...where, keyValuePairs: { OLD: 'x' } });
    await t.vault.deleteById(made!.id);
    clock += 29 * DAY;
    expect(await t.vault.recentlyDeleted()).toHaveLength(1);
    clock += 2 * DAY;
    expect(await t.vault.recentlyDeleted()).toEqual([]);
    expect((await rejection(t.vault.restoreDeleted(made!.id))).code).toBe('not_found');
  });

  it('reports remains moved onto another deleted secret as damaged, and never brings them back', async () => {
    const t = await makeVault();
    const made = await t.vault.create({ ...where, keyValuePairs: { ONE: '1', TWO: '2' } });
    const [one, two] = made.map((s) => s.id) as [string, string];
    await t.vault.deleteById(one);
    await t.vault.deleteById(two);
    const sealedOne = (await getRecord<TrashRecord>(t.factory, 'trash', one)).sealed;
    await editRecord<TrashRecord>(t.factory, 'trash', two, (r) => ({ ...r, sealed: sealedOne }));
    const list = await t.vault.recentlyDeleted();
    expect(list).toContainEqual({ id: two, error: expect.any(String) });
    expect((await rejection(t.vault.restoreDeleted(two))).code).toBe('damaged');
    expect(await t.vault.get(where)).toEqual([]);
  });
});
