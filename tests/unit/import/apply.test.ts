import { beforeAll, describe, expect, it } from 'vitest';
import { readImport, previewImport, planImport, clashId } from '../../../lib/import';
import { applyImport, previewInVault } from '../../../lib/import/apply';
import type { Vault } from '../../../lib/vault';
import { makeVault, dumpAll } from '../vault/helpers';
import { fixture, failure } from './helpers';

describe('preview and plan (pure)', () => {
  const secrets = [
    { path: '/', key: 'A', value: '1' },
    { path: '/', key: 'A', value: '2' },
    { path: '/x', key: 'B', value: '3' },
    { path: '/x', key: 'C', value: '4' },
  ];
  const existing = [
    { id: 'b', path: '/x', key: 'B' },
    { id: 'c', path: '/x', key: 'C' },
    { id: 'a2', path: '/', key: 'A_2' },
  ];

  it('counts secrets per path, lists clashes, renames repeats within the file', () => {
    expect(previewImport(secrets, existing)).toEqual({
      paths: [
        { path: '/', count: 2 },
        { path: '/x', count: 2 },
      ],
      clashes: [
        { id: clashId('/', 'A_2'), path: '/', key: 'A_2' },
        { id: clashId('/x', 'B'), path: '/x', key: 'B' },
        { id: clashId('/x', 'C'), path: '/x', key: 'C' },
      ],
      renamed: 1,
    });
  });

  it('follows each choice, and refuses a clash that has none', () => {
    const plan = planImport(secrets, existing, {
      [clashId('/', 'A_2')]: 'keep',
      [clashId('/x', 'B')]: 'skip',
      [clashId('/x', 'C')]: 'overwrite',
    });
    // The file's second A is A_2 in the file; the vault holds an A_2 already, and "keep both" finds a free name.
    expect(plan.creates).toEqual([
      {
        path: '/',
        secrets: [
          { path: '/', key: 'A', value: '1' },
          { path: '/', key: 'A_2_2', value: '2' },
        ],
      },
    ]);
    const kept = planImport(secrets, existing, {
      [clashId('/', 'A_2')]: 'skip',
      [clashId('/x', 'B')]: 'keep',
      [clashId('/x', 'C')]: 'keep',
    });
    expect(kept.creates[1]).toEqual({
      path: '/x',
      secrets: [
        { path: '/x', key: 'B_2', value: '3' },
        { path: '/x', key: 'C_2', value: '4' },
      ],
    });
    expect(plan.overwrites).toEqual([{ id: 'c', secret: { path: '/x', key: 'C', value: '4' } }]);
    expect(plan.skipped).toBe(1);
    const error = (() => {
      try {
        planImport(secrets, existing, { [clashId('/', 'A_2')]: 'skip', [clashId('/x', 'B')]: 'skip' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe('C now exists at /x: preview the import again');
  });
});

describe('applyImport writes through the vault', () => {
  let vault: Vault;
  let factory: Awaited<ReturnType<typeof makeVault>>['factory'];
  let target: { safeId: string; envId: string };
  beforeAll(async () => {
    ({ vault, factory } = await makeVault());
    const [safe] = await vault.listSafes();
    target = { safeId: safe!.id, envId: safe!.environments[0]!.id };
  });

  it('imports a Bitwarden file, then on a second import skips, overwrites and keeps both as chosen', async () => {
    const { secrets } = await readImport(fixture('bitwarden.json'), { basePath: '/bw' });
    const preview = await previewInVault(
      vault,
      target,
      secrets.map(({ path, key }) => ({ path, key })),
    );
    expect(preview.clashes).toEqual([]);
    expect(await applyImport(vault, target, secrets, {})).toEqual({ created: 9, updated: 0, skipped: 0 });
    const [gh2] = await vault.get({ ...target, keyToFind: 'GitHub_2', secretPath: '/bw' });
    expect(gh2).toMatchObject({ value: 'gh-two', comment: 'Username: bot' });

    const again = (await readImport(fixture('bitwarden.json'), { basePath: '/bw' })).secrets.map((s) =>
      s.key === 'GitHub' ? { ...s, value: `${s.value}-new` } : s,
    );
    const clashes = (await previewInVault(vault, target, again)).clashes;
    expect(clashes.length).toBe(9);
    const choices = Object.fromEntries(
      clashes.map((c) => [c.id, c.key === 'GitHub' ? 'overwrite' : c.key === 'Deploy key' ? 'keep' : 'skip']),
    );
    expect(await applyImport(vault, target, again, choices)).toEqual({ created: 1, updated: 1, skipped: 7 });
    expect((await vault.get({ ...target, keyToFind: 'GitHub', secretPath: '/bw' }))[0]!.value).toBe('gh-one-new');
    expect((await vault.get({ ...target, keyToFind: 'Deploy key_2', secretPath: '/bw' }))[0]!.value).toMatch(/OPENSSH/);
  });

  it('writes nothing when a clash appeared after the preview, or when one secret breaks the vault rules', async () => {
    const before = await dumpAll(factory);
    const secrets = [
      { path: '/new', key: 'FRESH', value: 'x' },
      { path: '/bw', key: 'GitHub', value: 'y' },
    ];
    expect((await failure(applyImport(vault, target, secrets, {}))).code).toBe('import_changed');
    const bad = [
      { path: '/ok', key: 'OK', value: 'x' },
      { path: '/ok', key: ' spaced ', value: 'y' },
    ];
    expect((await failure(applyImport(vault, target, bad, {}))).code).toBe('invalid_input');
    expect((await failure(applyImport(vault, target, [{ path: '../x', key: 'K', value: 'v' }], {}))).code).toBe('invalid_input');
    expect((await failure(applyImport(vault, target, secrets, { [clashId('/bw', 'GitHub')]: 'merge' }))).code).toBe('invalid_input');
    expect(await dumpAll(factory)).toEqual(before);
  });
});

describe('a file with nothing to import', () => {
  it('previews and applies as nothing, rather than failing', async () => {
    const { vault } = await makeVault();
    const [safe] = await vault.listSafes();
    const target = { safeId: safe!.id, envId: safe!.environments[0]!.id };
    const onlyIdentity = await readImport(new TextEncoder().encode('{"encrypted":false,"items":[{"type":4,"name":"Me"}]}'));
    expect(onlyIdentity).toEqual({ format: 'bitwarden', secrets: [], notices: { identity: 1 } });
    expect(await previewInVault(vault, target, [])).toEqual({ paths: [], clashes: [], renamed: 0 });
    expect(await applyImport(vault, target, [], {})).toEqual({ created: 0, updated: 0, skipped: 0 });
  });
});
