import { beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../lib/vault';
import { dumpAll, makeVault, rejection } from './helpers';

const DEV = { appName: 'Personal', envName: 'Development' };
const STAGING = { appName: 'Personal', envName: 'Staging' };

describe('create and get (Phase semantics)', () => {
  let vault: Vault;
  beforeAll(async () => {
    ({ vault } = await makeVault());
    await vault.create({
      ...DEV,
      secretPath: '/api',
      keyValuePairs: [
        { key: 'API_KEY', value: 'api-value', tags: ['api', 'stripe'], comment: 'live key' },
        { key: 'API_URL', value: 'https://api.example', tags: ['api'] },
      ],
    });
    await vault.create({ ...DEV, keyValuePairs: { API_KEY: 'root-value', DB_PASSWORD: 'pw' } });
    await vault.create({ ...DEV, secretPath: '/workers/', keyValuePairs: [{ QUEUE_URL: 'amqp://q' }] });
  });

  it('returns what it created, with / as the default path and paths normalised', async () => {
    const created = await vault.create({ ...STAGING, keyValuePairs: [{ key: 'ONE', value: '1', tags: [' x ', 'X', ''] }] });
    expect(created).toEqual([{ id: expect.any(String), key: 'ONE', value: '1', path: '/', tags: ['x'], comment: '', overridden: false }]);
    expect((await vault.get({ ...DEV, secretPath: '/workers' })).map((s) => [s.key, s.path])).toEqual([['QUEUE_URL', '/workers']]);
  });

  it('gets every path when the path is empty or absent, one path when given, and filters by tag', async () => {
    const all = await vault.get({ ...DEV, secretPath: '' });
    expect(all.map((s) => `${s.path} ${s.key}=${s.value}`).sort()).toEqual([
      '/ API_KEY=root-value',
      '/ DB_PASSWORD=pw',
      '/api API_KEY=api-value',
      '/api API_URL=https://api.example',
      '/workers QUEUE_URL=amqp://q',
    ]);
    expect(await vault.get(DEV)).toHaveLength(5);
    expect((await vault.get({ ...DEV, secretPath: '/api' })).map((s) => s.key)).toEqual(['API_KEY', 'API_URL']);
    expect((await vault.get({ ...DEV, tag: 'STRIPE' })).map((s) => s.value)).toEqual(['api-value']);
    expect(await vault.get({ ...DEV, tag: 'none' })).toEqual([]);
    const [withComment] = await vault.get({ ...DEV, keyToFind: 'API_KEY', secretPath: '/api' });
    expect(withComment).toMatchObject({ comment: 'live key', tags: ['api', 'stripe'] });
  });

  it('finds at most one secret by key, preferring / when no path is given', async () => {
    expect((await vault.get({ ...DEV, keyToFind: 'API_KEY' })).map((s) => s.value)).toEqual(['root-value']);
    expect((await vault.get({ ...DEV, keyToFind: 'API_KEY', secretPath: '/api' })).map((s) => s.value)).toEqual(['api-value']);
    expect(await vault.get({ ...DEV, keyToFind: 'MISSING' })).toEqual([]);
  });

  it('refuses a duplicate key in the same environment and path, and writes none of the batch', async () => {
    const error = await rejection(
      vault.create({
        ...DEV,
        secretPath: '/api',
        keyValuePairs: [
          { key: 'NEW_ONE', value: 'n' },
          { key: 'API_KEY', value: 'x' },
        ],
      }),
    );
    expect(error.code).toBe('duplicate');
    expect(error.message).toBe('A secret named API_KEY already exists at /api in Development');
    expect(await vault.get({ ...DEV, keyToFind: 'NEW_ONE', secretPath: '/api' })).toEqual([]);
    const inBatch = await rejection(
      vault.create({
        ...DEV,
        keyValuePairs: [
          { key: 'D', value: '1' },
          { key: 'D', value: '2' },
        ],
      }),
    );
    expect(inBatch.code).toBe('duplicate');
    // The same key elsewhere is fine.
    await vault.create({ ...STAGING, secretPath: '/api', keyValuePairs: { API_KEY: 'staging' } });
  });

  it('names unknown safes and environments, empty and multi-line keys, and bad paths', async () => {
    const noSafe = await rejection(vault.get({ appName: 'Nope', envName: 'Development' }));
    expect([noSafe.code, noSafe.message]).toEqual(['not_found', 'There is no safe named "Nope"']);
    const noEnv = await rejection(vault.create({ appName: 'Personal', envName: 'QA', keyValuePairs: { A: 'a' } }));
    expect([noEnv.code, noEnv.message]).toEqual(['not_found', 'Safe "Personal" has no environment named "QA"']);
    const empty = await rejection(vault.create({ ...DEV, keyValuePairs: [{ key: '', value: 'v' }] }));
    expect([empty.code, empty.message]).toEqual(['invalid_input', 'Key must not be empty']);
    expect((await rejection(vault.create({ ...DEV, keyValuePairs: { 'A\nB': 'v' } }))).code).toBe('invalid_input');
    expect((await rejection(vault.create({ ...DEV, keyValuePairs: { ['K'.repeat(257)]: 'v' } }))).code).toBe('invalid_input');
    expect((await rejection(vault.create({ ...DEV, keyValuePairs: { ' PADDED': 'v' } }))).code).toBe('invalid_input');
    expect((await rejection(vault.create({ ...DEV, keyValuePairs: [] }))).code).toBe('invalid_input');
    const path = await rejection(vault.create({ ...DEV, secretPath: 'api', keyValuePairs: { A: 'a' } }));
    expect([path.code, path.field]).toEqual(['invalid_input', 'secretPath']);
    expect((await rejection(vault.get({ ...DEV, secretPath: '/a/../b' }))).code).toBe('invalid_input');
  });

  it('lists names and flags from the index, without values', async () => {
    const [safe] = await vault.listSafes();
    const dev = safe!.environments.find((e) => e.name === 'Development')!;
    const list = await vault.listSecrets(safe!.id, dev.id);
    expect(list).toHaveLength(5);
    for (const item of list) {
      expect(item).not.toHaveProperty('value');
      expect(item).toMatchObject({ overridden: false, hasOverride: false });
    }
    const apiKey = list.find((s) => 'key' in s && s.key === 'API_KEY' && s.path === '/api')!;
    expect(apiKey).toMatchObject({ tags: ['api', 'stripe'], comment: 'live key' });
    expect(await vault.revealSecret(apiKey.id)).toEqual({ value: 'api-value', overridden: false });
    expect((await rejection(vault.revealSecret('no-such-id'))).code).toBe('not_found');
    expect((await rejection(vault.listSecrets(safe!.id, 'no-such-env'))).code).toBe('not_found');
  });

  it('serialises concurrent writes from one instance and retries across instances', async () => {
    const { vault: a, reopen } = await makeVault();
    const b = await reopen();
    const c = await reopen();
    const writers = [a, b, c];
    const keys = Array.from({ length: 24 }, (_, i) => `KEY_${String(i).padStart(2, '0')}`);
    await Promise.all(keys.map((key, i) => writers[i % 3]!.create({ ...DEV, keyValuePairs: { [key]: key } })));
    expect((await a.get(DEV)).map((s) => s.key).sort()).toEqual(keys);
    // Concurrent edits of different secrets: none may overwrite another's index entry.
    await Promise.all(keys.map((key, i) => writers[i % 3]!.update({ ...DEV, key, comment: `edited ${key}`, tags: [key] })));
    const [safe] = await a.listSafes();
    const list = await c.listSecrets(safe!.id, safe!.environments[0]!.id);
    expect(list.map((s) => ('key' in s ? `${s.key} ${s.comment} ${s.tags.join()}` : s.error)).sort()).toEqual(
      keys.map((key) => `${key} edited ${key} ${key}`),
    );
  });
});

describe('update and delete', () => {
  let vault: Vault;
  beforeAll(async () => {
    ({ vault } = await makeVault());
    await vault.create({ ...DEV, secretPath: '/api', keyValuePairs: { API_KEY: 'shared', OTHER: 'o' } });
    await vault.create({ ...DEV, secretPath: '/moved', keyValuePairs: { OTHER: 'taken' } });
  });

  it('updates the shared value, tags and comment', async () => {
    const updated = await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', value: 'shared-2', tags: ['t'], comment: 'c' });
    expect(updated).toMatchObject({ key: 'API_KEY', value: 'shared-2', path: '/api', tags: ['t'], comment: 'c', overridden: false });
    expect((await vault.get({ ...DEV, keyToFind: 'API_KEY', secretPath: '/api' }))[0]!.value).toBe('shared-2');
  });

  it('sets, toggles and deletes a personal override; reads return it while active', async () => {
    const set = await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', value: 'mine', override: true });
    expect(set).toMatchObject({ value: 'mine', overridden: true });
    const [read] = await vault.get({ ...DEV, keyToFind: 'API_KEY', secretPath: '/api' });
    expect(read).toMatchObject({ value: 'mine', overridden: true });
    expect(await vault.revealSecret(read!.id)).toEqual({ value: 'mine', overridden: true });
    const [safe] = await vault.listSafes();
    const envId = safe!.environments[0]!.id;
    expect((await vault.listSecrets(safe!.id, envId)).find((s) => s.id === read!.id)).toMatchObject({
      overridden: true,
      hasOverride: true,
    });

    const off = await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', toggleOverride: true });
    expect(off).toMatchObject({ value: 'shared-2', overridden: false });
    expect((await vault.listSecrets(safe!.id, envId)).find((s) => s.id === read!.id)).toMatchObject({
      overridden: false,
      hasOverride: true,
    });
    expect(await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', toggleOverride: true })).toMatchObject({
      value: 'mine',
      overridden: true,
    });

    // The shared value can still change underneath; the override keeps winning while active.
    await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', value: 'shared-3' });
    expect((await vault.get({ ...DEV, keyToFind: 'API_KEY', secretPath: '/api' }))[0]!.value).toBe('mine');

    expect(await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', deleteOverride: true })).toMatchObject({
      value: 'shared-3',
      overridden: false,
    });
    expect((await rejection(vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', toggleOverride: true }))).code).toBe('not_found');
    expect((await rejection(vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', override: true }))).field).toBe('value');
  });

  it('moves to another path, refusing a destination that already has the key', async () => {
    const clash = await rejection(vault.update({ ...DEV, key: 'OTHER', secretPath: '/api', destinationPath: '/moved' }));
    expect([clash.code, clash.message]).toEqual(['duplicate', 'A secret named OTHER already exists at /moved in Development']);
    const moved = await vault.update({ ...DEV, key: 'API_KEY', secretPath: '/api', destinationPath: '/moved/' });
    expect(moved.path).toBe('/moved');
    expect(await vault.get({ ...DEV, keyToFind: 'API_KEY', secretPath: '/api' })).toEqual([]);
    const renamed = await vault.update({ ...DEV, id: moved.id, newKey: 'RENAMED' });
    expect(renamed).toMatchObject({ key: 'RENAMED', path: '/moved', value: 'shared-3' });
  });

  it('reports a missing secret', async () => {
    const missing = await rejection(vault.update({ ...DEV, key: 'NOPE', value: 'x' }));
    expect([missing.code, missing.message]).toEqual(['not_found', 'There is no secret named NOPE at / in Development']);
    expect((await rejection(vault.delete({ ...DEV, keyToDelete: 'NOPE', secretPath: '/api' }))).code).toBe('not_found');
  });

  it('deletes a secret with its override, leaving the others', async () => {
    await vault.update({ ...DEV, key: 'OTHER', secretPath: '/api', value: 'personal', override: true });
    await vault.delete({ ...DEV, keyToDelete: 'OTHER', secretPath: '/api' });
    expect((await vault.get(DEV)).map((s) => `${s.path} ${s.key}`).sort()).toEqual(['/moved OTHER', '/moved RENAMED']);
  });
});

describe('safes and environments', () => {
  let vault: Vault;
  let factory: Awaited<ReturnType<typeof makeVault>>['factory'];
  beforeAll(async () => {
    ({ vault, factory } = await makeVault());
  });

  it('creates, renames and deletes safes; names are unique ignoring case', async () => {
    const { id } = await vault.createSafe('  Billing  ');
    expect((await vault.listSafes()).map((s) => s.name)).toEqual(['Personal', 'Billing']);
    expect((await rejection(vault.createSafe('billing'))).code).toBe('duplicate');
    expect((await rejection(vault.createSafe('   '))).code).toBe('invalid_input');
    await vault.renameSafe(id, 'Payments');
    await vault.create({ appName: 'payments', envName: 'production', keyValuePairs: { STRIPE: 'sk' } });
    await vault.update({ appName: 'Payments', envName: 'Production', key: 'STRIPE', value: 'o', override: true });
    expect((await rejection(vault.renameSafe(id, 'Personal'))).code).toBe('duplicate');

    await vault.deleteSafe(id);
    expect((await vault.listSafes()).map((s) => s.name)).toEqual(['Personal']);
    const dump = await dumpAll(factory);
    for (const store of ['secrets', 'overrides', 'environments', 'indexes'] as const) {
      expect(dump[store].some((r) => JSON.stringify(r.value).includes(id))).toBe(false);
    }
    expect((await rejection(vault.deleteSafe(id))).code).toBe('not_found');
  });

  it('adds custom environments, protected or not, and refuses duplicates', async () => {
    const [safe] = await vault.listSafes();
    const { id } = await vault.createEnvironment(safe!.id, 'QA', { protected: true });
    expect((await rejection(vault.createEnvironment(safe!.id, 'production'))).code).toBe('duplicate');
    expect((await rejection(vault.createEnvironment(safe!.id, ''))).code).toBe('invalid_input');
    expect((await vault.listSafes())[0]!.environments.map((e) => [e.name, e.protected])).toEqual([
      ['Development', false],
      ['Staging', false],
      ['Production', true],
      ['QA', true],
    ]);
    await vault.create({ appName: 'Personal', envName: 'qa', keyValuePairs: { Q: 'q' } });
    expect((await vault.get({ appId: safe!.id, envId: id })).map((s) => s.value)).toEqual(['q']);
    await vault.updateEnvironment(id, { name: 'Preview', protected: false });
    expect((await vault.listSafes())[0]!.environments[3]).toMatchObject({ name: 'Preview', protected: false });
    await vault.deleteEnvironment(id);
    expect((await vault.listSafes())[0]!.environments).toHaveLength(3);
    expect((await dumpAll(factory)).secrets).toHaveLength(0);
  });
});
