// A secret's earlier versions: kept sealed and bound beside it, capped, listed, revealed, restored
// as a new version; damage is reported, never shown.
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../../lib/vault/history';
import type { SecretRecord } from '../../../lib/vault/schema';
import { dumpAll, dumpText, editRecord, flipByte, getRecord, makeVault, rejection, type TestVault } from './helpers';

const where = { appName: 'Personal', envName: 'Development' };

describe('history of a secret', () => {
  let t: TestVault;
  let id: string;
  beforeAll(async () => {
    t = await makeVault();
    id = (await t.vault.create({ ...where, keyValuePairs: [{ key: 'API_TOKEN', value: 'first-value', tags: ['a'] }] }))[0]!.id;
    await t.vault.update({ ...where, id, value: 'second-value' });
    await t.vault.update({ ...where, id, value: 'third-value', tags: ['b'], comment: 'rotated' });
  });

  it('lists the earlier versions newest first, with their names, time and device, never their values', async () => {
    const history = await t.vault.history(id);
    expect(history.damaged).toBe(false);
    expect(history.current).toMatchObject({ ver: 3, by: { device: 'Keysmith' } });
    expect(history.versions.map((v) => [v.ver, v.key, v.tags, v.comment, v.by.device])).toEqual([
      [2, 'API_TOKEN', ['a'], '', 'Keysmith'],
      [1, 'API_TOKEN', ['a'], '', 'Keysmith'],
    ]);
    expect(history.versions.every((v) => typeof v.at === 'number')).toBe(true);
    expect(JSON.stringify(history)).not.toContain('value');
    expect((await t.vault.revealVersion(id, 1)).value).toBe('first-value');
    expect((await t.vault.revealVersion(id, 2)).value).toBe('second-value');
    expect((await rejection(t.vault.revealVersion(id, 9))).code).toBe('not_found');
  });

  it('is sealed at rest: no earlier value or comment appears in the database', async () => {
    const text = dumpText(await dumpAll(t.factory));
    for (const plain of ['first-value', 'second-value', 'Keysmith']) expect(text).not.toContain(plain);
  });

  it('restores a version as a new one: the current one goes into the history, nothing is rewritten', async () => {
    const before = await t.vault.history(id);
    const restored = await t.vault.restoreVersion(id, 1);
    expect([restored.value, restored.tags, restored.comment]).toEqual(['first-value', ['a'], '']);
    const after = await t.vault.history(id);
    expect(after.current.ver).toBe(4);
    expect(after.versions.map((v) => v.ver)).toEqual([3, ...before.versions.map((v) => v.ver)]);
    expect(after.versions.slice(1)).toEqual(before.versions);
    expect((await t.vault.revealVersion(id, 3)).value).toBe('third-value');
    expect((await t.vault.get({ ...where, keyToFind: 'API_TOKEN' }))[0]!.value).toBe('first-value');
  });

  it('carries the device name the user set, and refuses a name that is not one line', async () => {
    expect((await t.vault.getSettings()).deviceName).toBe('Keysmith');
    await t.vault.updateSettings({ deviceName: 'Work laptop' });
    await t.vault.update({ ...where, id, value: 'fifth-value' });
    expect((await t.vault.history(id)).current.by).toEqual({ device: 'Work laptop' });
    const bad = await rejection(t.vault.updateSettings({ deviceName: 'two\nlines' }));
    expect([bad.code, bad.field]).toEqual(['invalid_input', 'deviceName']);
    expect((await t.vault.getSettings()).deviceName).toBe('Work laptop');
    await t.vault.updateSettings({ deviceName: '' });
    expect((await t.vault.getSettings()).deviceName).toBe('Keysmith');
  });
});

describe('history limits and damage', () => {
  it(`keeps the last ${HISTORY_LIMIT} versions`, async () => {
    const t = await makeVault();
    const id = (await t.vault.create({ ...where, keyValuePairs: { LIMITED: 'v1' } }))[0]!.id;
    for (let n = 2; n <= HISTORY_LIMIT + 5; n++) await t.vault.update({ ...where, id, value: `v${n}` });
    const history = await t.vault.history(id);
    expect(history.current.ver).toBe(HISTORY_LIMIT + 5);
    expect(history.versions).toHaveLength(HISTORY_LIMIT);
    expect(history.versions[0]!.ver).toBe(HISTORY_LIMIT + 4);
    expect(history.versions.at(-1)!.ver).toBe(5);
    expect((await t.vault.revealVersion(id, 5)).value).toBe('v5');
    expect((await rejection(t.vault.revealVersion(id, 4))).code).toBe('not_found');
  });

  it('reports a damaged history and never shows it; a history moved from another secret or version is damaged too', async () => {
    const t = await makeVault();
    const made = await t.vault.create({ ...where, keyValuePairs: { ONE: 'one-a', TWO: 'two-a' } });
    const [one, two] = made.map((s) => s.id) as [string, string];
    await t.vault.update({ ...where, id: one, value: 'one-b' });
    await t.vault.update({ ...where, id: two, value: 'two-b' });
    const oneAt2 = await getRecord<SecretRecord>(t.factory, 'secrets', one);
    await t.vault.update({ ...where, id: one, value: 'one-c' });

    // Flipped bytes: reported, the secret itself still opens.
    const good = await getRecord<SecretRecord>(t.factory, 'secrets', two);
    await editRecord<SecretRecord>(t.factory, 'secrets', two, (r) => ({
      ...r,
      history: { iv: r.history!.iv, data: flipByte(r.history!.data) },
    }));
    expect(await t.vault.history(two)).toMatchObject({ versions: [], damaged: true });
    expect((await rejection(t.vault.revealVersion(two, 1))).code).toBe('damaged');
    expect((await t.vault.get({ ...where, keyToFind: 'TWO' }))[0]!.value).toBe('two-b');

    // Another secret's history (same safe key), and this secret's history of an earlier version.
    await editRecord<SecretRecord>(t.factory, 'secrets', two, (r) => ({ ...r, history: oneAt2.history }));
    expect((await t.vault.history(two)).damaged).toBe(true);
    await editRecord<SecretRecord>(t.factory, 'secrets', one, (r) => ({ ...r, history: oneAt2.history }));
    expect((await t.vault.history(one)).damaged).toBe(true);

    // An edit goes ahead; the unreadable history is not carried, the version replaced is.
    await t.vault.update({ ...where, id: two, value: 'two-c' });
    const after = await t.vault.history(two);
    expect([after.damaged, after.versions.map((v) => v.ver)]).toEqual([false, [good.ver]]);
    expect((await t.vault.revealVersion(two, good.ver!)).value).toBe('two-b');
  });
});
