import { beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../lib/vault';
import { dumpAll, makeVault, rejection } from './helpers';

const DEV = { appName: 'Personal', envName: 'Development' };
const PROD = { appName: 'Personal', envName: 'Production' };
const idOf = async (vault: Vault, where: typeof DEV, key: string, secretPath = '/') =>
  (await vault.get({ ...where, keyToFind: key, secretPath }))[0]!.id;

describe('references in a real vault', () => {
  let vault: Vault;
  let factory: Awaited<ReturnType<typeof makeVault>>['factory'];
  beforeAll(async () => {
    ({ vault, factory } = await makeVault());
    await vault.createSafe('Infra');
    await vault.create({ appName: 'Infra', envName: 'Production', secretPath: '/net', keyValuePairs: { CIDR: '10.0.0.0/8' } });
    await vault.create({ ...PROD, keyValuePairs: { HOST: 'prod.example', URL: 'https://${HOST}/${/v2/PATH}' } });
    await vault.create({ ...PROD, secretPath: '/v2', keyValuePairs: { PATH: 'prod-path' } });
    await vault.create({
      ...DEV,
      keyValuePairs: {
        HOST: 'dev.example',
        VIA_PROD: 'via ${Production.URL}',
        LOCAL: '${HOST}:5432 $${HOST}',
        NET: '${Infra::Production./net/CIDR}',
        MISSING: 'x${NOPE}',
        LOOP_A: '${LOOP_B}',
        LOOP_B: '${LOOP_A}',
      },
    });
    await vault.create({ ...DEV, secretPath: '/v2', keyValuePairs: { PATH: 'dev-path' } });
  });

  it('resolves in the context of the secret holding each reference (Infisical #7460/#7476), and marks Production', async () => {
    const resolved = await vault.resolveValue(await idOf(vault, DEV, 'VIA_PROD'));
    expect(resolved.value).toBe('via https://prod.example/prod-path');
    expect(resolved.protectedEnv).toBe('Production');
  });

  it('resolves the same environment, escapes and another safe', async () => {
    expect((await vault.resolveValue(await idOf(vault, DEV, 'LOCAL'))).value).toBe('dev.example:5432 ${HOST}');
    expect((await vault.resolveValue(await idOf(vault, DEV, 'LOCAL'))).protectedEnv).toBeUndefined();
    expect((await vault.resolveValue(await idOf(vault, DEV, 'NET'))).value).toBe('10.0.0.0/8');
  });

  it('stops with the name that failed, and shows a cycle whole', async () => {
    const missing = await rejection(vault.resolveValue(await idOf(vault, DEV, 'MISSING')));
    expect(missing).toMatchObject({ code: 'reference' });
    expect(missing.message).toContain('${NOPE}');
    const loop = await rejection(vault.resolveValue(await idOf(vault, DEV, 'LOOP_A')));
    expect(loop.message).toContain('Personal::Development.LOOP_A → Personal::Development.LOOP_B → Personal::Development.LOOP_A');
  });

  it('applies your own override to a secret you reference', async () => {
    await vault.update({ ...DEV, key: 'HOST', value: 'my-laptop', override: true });
    try {
      expect((await vault.resolveValue(await idOf(vault, DEV, 'LOCAL'))).value).toBe('my-laptop:5432 ${HOST}');
    } finally {
      await vault.update({ ...DEV, key: 'HOST', deleteOverride: true });
    }
  });

  it('never stores a resolved value', async () => {
    await vault.resolveValue(await idOf(vault, DEV, 'VIA_PROD'));
    const dump = JSON.stringify(await dumpAll(factory));
    expect(dump).not.toContain('prod-path');
    expect(dump).not.toContain('via https');
    expect((await vault.get({ ...DEV, keyToFind: 'VIA_PROD' }))[0]!.value).toBe('via ${Production.URL}');
  });

  it('exports resolved values, stops at a missing one, and keeps it as written only when asked', async () => {
    const failed = await rejection(vault.exportDotenv({ safeName: 'Personal', envName: 'Development' }));
    expect(failed.message).toContain('${NOPE}');
    const kept = await vault.exportDotenv({ safeName: 'Personal', envName: 'Development', keepUnresolved: true });
    expect(kept).toContain("VIA_PROD='via https://prod.example/prod-path'");
    expect(kept).toContain("LOOP_A='${LOOP_B}'");
    expect(kept).toMatch(/MISSING=.*\$\{NOPE\}/);
  });

  it('lists who uses a secret, and rewrites them after a rename', async () => {
    const host = await idOf(vault, PROD, 'HOST');
    expect((await vault.usedBy(host)).map((h) => h.key)).toEqual(['URL']);
    const path = await idOf(vault, PROD, 'PATH', '/v2');
    await vault.update({ ...PROD, id: path, newKey: 'BASE_PATH', destinationPath: '/v3' });
    expect(await vault.updateReferrers({ id: path, from: { key: 'PATH', path: '/v2' } })).toBe(1);
    expect((await vault.get({ ...PROD, keyToFind: 'URL' }))[0]!.value).toBe('https://${HOST}/${/v3/BASE_PATH}');
    expect((await vault.resolveValue(await idOf(vault, DEV, 'VIA_PROD'))).value).toBe('via https://prod.example/prod-path');
    expect((await vault.usedBy(path)).map((h) => h.key)).toEqual(['URL']);
  });
});
