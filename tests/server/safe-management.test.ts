// Safes and environments changed after they were made (renamed, protected, deleted) sync like any
// change, and protecting an environment later is as safe against a hostile server as at creation:
// the flag is sealed in the environment's `flags`, bound to its id and version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

describe.each(backends)('safes and environments managed after creation (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function pair(): Promise<{ a: Device; b: Device; account: string }> {
    const a = await device();
    await newVault(a);
    await a.vault.createSafe('Shop');
    await a.vault.create({ safeName: 'Shop', envName: 'Development', keyValuePairs: { API: 'dev-api' } });
    await a.vault.create({ safeName: 'Shop', envName: 'Staging', keyValuePairs: { API: 'staging-api', DB: 'staging-db' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await device();
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    return { a, b, account };
  }

  const safeNamed = async (d: Device, name: string) => (await d.vault.listSafes()).find((s) => s.name === name);
  const envOf = async (d: Device, safe: string, env: string) => (await safeNamed(d, safe))!.environments.find((e) => e.name === env)!;

  it('a rename, a protection, an environment deleted and a safe deleted reach the other device', async () => {
    const { a, b } = await pair();
    const shop = (await safeNamed(a, 'Shop'))!;
    await a.vault.renameSafe(shop.id, 'Store');
    await a.vault.updateEnvironment((await envOf(a, 'Store', 'Staging')).id, { name: 'QA', protected: true });
    await a.vault.deleteEnvironment((await envOf(a, 'Store', 'Development')).id);
    expect((await a.engine.local.syncCounts()).waiting).toBeGreaterThan(0); // in the outbox, like any change
    await a.engine.syncNow();
    expect((await a.engine.local.syncCounts()).waiting).toBe(0);
    await b.engine.syncNow();
    expect(await safeNamed(b, 'Shop')).toBeUndefined();
    expect((await safeNamed(b, 'Store'))!.environments.map((e) => [e.name, e.protected])).toEqual([
      ['QA', true],
      ['Production', true],
    ]);
    expect((await contents(b.vault)).filter((l) => l.includes('api')).sort()).toEqual(
      (await contents(a.vault)).filter((l) => l.includes('api')).sort(),
    );
    expect((await contents(b.vault)).some((l) => l.includes('dev-api'))).toBe(false);

    await a.vault.deleteSafe(shop.id);
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect((await b.vault.listSafes()).map((s) => s.name)).toEqual(['Personal']);
    expect((await contents(b.vault)).some((l) => l.includes('staging'))).toBe(false);
  });

  it('an environment protected later cannot be made unprotected by the server: neither its old version replayed nor another environment’s flags', async () => {
    const { a, b, account } = await pair();
    const staging = await envOf(a, 'Shop', 'Staging');
    const development = await envOf(a, 'Shop', 'Development');
    // What the server held before the protection: Staging's unprotected flags, and Development's
    // genuine unprotected ones at the version Staging will have (two edits: version 3).
    const before: Record<string, Record<string, any>> = {};
    const latest: Record<string, Record<string, any>> = {};
    b.fault = rewritePulls((items) => {
      for (const item of items) {
        if (item.kind !== 'environment') continue;
        before[item.id] ??= structuredClone(item);
        latest[item.id] = structuredClone(item);
      }
    });
    await a.vault.updateEnvironment(development.id, { name: 'Dev' });
    await a.vault.updateEnvironment(development.id, { name: 'Development' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.vault.updateEnvironment(staging.id, { protected: true });
    await a.engine.syncNow();
    b.fault = undefined;
    await b.engine.syncNow();
    expect((await envOf(b, 'Shop', 'Staging')).protected).toBe(true);

    // The server flips it back with Development's genuine flags of the same version: refused.
    await a.vault.updateEnvironment(staging.id, { name: 'Staging' }); // version 3, something to deliver
    await a.engine.syncNow();
    b.fault = rewritePulls((items) => {
      for (const item of items) if (item.id === staging.id) item.ciphertext.flags = latest[development.id]!.ciphertext.flags;
    });
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect((await envOf(b, 'Shop', 'Staging')).protected).toBe(true);

    // Or replays Staging's own old, unprotected version: refused too.
    b.fault = rewritePulls((items) => {
      for (const [i, item] of items.entries())
        if (item.id === staging.id) items[i] = { ...structuredClone(before[staging.id]!), seq: item.seq };
    });
    await a.vault.updateEnvironment(staging.id, { name: 'Staging QA' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(
      (await b.vault.listSafes())
        .find((s) => s.name === 'Shop')!
        .environments.filter((e) => e.name.startsWith('Staging'))
        .map((e) => e.protected),
    ).toEqual([true]);

    // A new device given Development's flags for Staging never shows Staging unprotected.
    const c = await device();
    c.fault = rewritePulls((items) => {
      for (const item of items) if (item.id === staging.id) item.ciphertext.flags = latest[development.id]!.ciphertext.flags;
    });
    await a.vault.updateEnvironment(staging.id, { name: 'Staging' }); // back to a version Development's flags share
    await a.vault.updateEnvironment(development.id, { name: 'Development' });
    await a.engine.syncNow();
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const shop = await safeNamed(c, 'Shop');
    expect(shop?.environments.find((e) => e.name.startsWith('Staging') && !e.protected)).toBeUndefined();
  });
});
