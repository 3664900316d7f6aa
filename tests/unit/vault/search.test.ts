import { describe, expect, it } from 'vitest';
import { dumpAll, dumpText, editRecord, makeVault, MASTER, rejection } from './helpers';

/** Two safes with a few secrets in several environments; returns their ids. */
async function seeded() {
  const t = await makeVault();
  const { vault } = t;
  const { id: billing } = await vault.createSafe('Billing');
  await vault.create({
    safeName: 'Personal',
    envName: 'Development',
    keyValuePairs: [
      { key: 'DB_PASSWORD', value: 'p1' },
      { key: 'STRIPE_KEY', value: 's1', tags: ['payments'] },
    ],
  });
  await vault.create({ safeName: 'Personal', envName: 'Production', keyValuePairs: { DB_PASSWORD: 'p2' } });
  await vault.create({
    safeId: billing,
    envName: 'Staging',
    secretPath: '/api',
    keyValuePairs: { STRIPE_KEY: 's2', WEBHOOK_SECRET: 'w2' },
  });
  const safes = await vault.listSafes();
  const env = (safe: string, name: string) => safes.find((s) => s.name === safe)!.environments.find((e) => e.name === name)!.id;
  return { ...t, billing, personalDev: env('Personal', 'Development'), billingStaging: env('Billing', 'Staging') };
}

const where = (hits: { key: string; safeName: string; envName: string; path: string }[]) =>
  hits.map((h) => `${h.safeName}/${h.envName}${h.path === '/' ? '' : h.path}:${h.key}`);

describe('search over the whole vault', () => {
  it('finds matches in every safe and environment, the current environment first, each labelled', async () => {
    const { vault, personalDev, billingStaging } = await seeded();
    let result = await vault.search('stripe', { envId: personalDev });
    expect(where(result.hits)).toEqual(['Personal/Development:STRIPE_KEY', 'Billing/Staging/api:STRIPE_KEY']);
    expect(result.total).toBe(2);
    result = await vault.search('stripe', { envId: billingStaging });
    expect(where(result.hits)).toEqual(['Billing/Staging/api:STRIPE_KEY', 'Personal/Development:STRIPE_KEY']);
    const production = (await vault.search('db_password')).hits.find((h) => h.envName === 'Production')!;
    expect(production.protected).toBe(true);
  });

  it('matches key, path, tags, safe and environment names, case-insensitively, every word', async () => {
    const { vault } = await seeded();
    expect(where((await vault.search('PAYMENTS')).hits)).toEqual(['Personal/Development:STRIPE_KEY']);
    expect(where((await vault.search('/api')).hits)).toEqual(['Billing/Staging/api:STRIPE_KEY', 'Billing/Staging/api:WEBHOOK_SECRET']);
    expect(where((await vault.search('billing webhook')).hits)).toEqual(['Billing/Staging/api:WEBHOOK_SECRET']);
    expect(where((await vault.search('production')).hits)).toEqual(['Personal/Production:DB_PASSWORD']);
    expect((await vault.search('db nothing')).hits).toEqual([]);
  });

  it('answers a query typed on, erased or changed as a fresh scan would', async () => {
    const { vault } = await seeded();
    const keys = Array.from({ length: 120 }, (_, i) => `SERVICE_${i}_${i % 3 === 0 ? 'TOKEN' : 'KEY'}`);
    await vault.create({ safeName: 'Billing', envName: 'Production', keyValuePairs: keys.map((key) => ({ key, value: 'v' })) });
    const everything = (await vault.search('', {}, 1000)).hits;
    expect(everything.length).toBe(125);
    // What each query must find, computed here from every secret, one at a time.
    const expected = (query: string) => {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const text = (h: (typeof everything)[number]) =>
        `${h.key}\n${h.path}\n${h.tags.join('\n')}\n${h.safeName}\n${h.envName}`.toLowerCase();
      return everything
        .filter((h) => words.every((w) => text(h).includes(w)))
        .map((h) => h.id)
        .sort();
    };
    // Typing on narrows, erasing widens again, a new word or a changed one starts over.
    const typed = [
      's',
      'se',
      'service_1',
      'service_11',
      'service_1',
      'service_',
      'service_1 token',
      'service_1 tok',
      'token',
      'oken',
      'billing key',
      'key',
      'production service_2',
      'service_2',
      's',
    ];
    for (const query of typed) {
      const result = await vault.search(query, {}, 1000);
      expect(result.hits.map((h) => h.id).sort(), query).toEqual(expected(query));
      expect(result.total, query).toBe(expected(query).length);
    }
    // A write in between is seen, however the last query ended.
    await vault.create({ safeName: 'Billing', envName: 'Production', keyValuePairs: { SERVICE_1_NEW: 'v' } });
    expect(where((await vault.search('service_1_n')).hits)).toEqual(['Billing/Production:SERVICE_1_NEW']);
  });

  it('caps the hits but counts them all, and refuses bad input in words', async () => {
    const { vault } = await seeded();
    const result = await vault.search('_', {}, 2);
    expect(result.hits).toHaveLength(2);
    expect(result.total).toBe(5);
    expect((await rejection(vault.search('x'.repeat(257)))).field).toBe('query');
    expect((await rejection(vault.search('x', {}, 0))).field).toBe('limit');
  });

  it('sees every change made since the last search: create, rename, delete, new safes', async () => {
    const { vault, billing } = await seeded();
    expect((await vault.search('webhook')).total).toBe(1);
    await vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { WEBHOOK_URL: 'u' } });
    await vault.update({ safeId: billing, envName: 'Staging', key: 'WEBHOOK_SECRET', secretPath: '/api', newKey: 'HOOK_SIGNING' });
    expect(where((await vault.search('webhook')).hits)).toEqual(['Personal/Staging:WEBHOOK_URL']);
    await vault.renameSafe(billing, 'Payments');
    expect(where((await vault.search('hook_signing')).hits)).toEqual(['Payments/Staging/api:HOOK_SIGNING']);
    await vault.delete({ safeId: billing, envName: 'Staging', keyToDelete: 'HOOK_SIGNING', secretPath: '/api' });
    expect((await vault.search('hook_signing')).total).toBe(0);
    await vault.deleteSafe(billing);
    expect((await vault.search('stripe')).total).toBe(1);
  });

  it('needs an unlocked vault, before and after a lock', async () => {
    const { vault } = await seeded();
    expect((await vault.search('stripe')).total).toBe(2);
    await vault.lock();
    expect((await rejection(vault.search('stripe'))).code).toBe('locked');
    await vault.unlock(MASTER);
    expect((await vault.search('stripe')).total).toBe(2);
  });

  it('still finds every secret of an environment whose index is damaged, from its records', async () => {
    const { vault, factory, personalDev } = await seeded();
    // An index the server or a disk edit damaged: the records are read one by one instead.
    await editRecord(factory, 'indexes', personalDev, (index: { entries: { data: Uint8Array } }) => {
      index.entries.data[0]! ^= 1;
      return index;
    });
    expect(where((await vault.search('stripe')).hits)).toEqual(['Personal/Development:STRIPE_KEY', 'Billing/Staging/api:STRIPE_KEY']);
  });

  it('lists an environment from the names in memory, the same as from its records, and never a stale one', async () => {
    const { vault, personalDev, reopen } = await seeded();
    const safeId = (await vault.listSafes())[0]!.id;
    const fromRecords = await (await reopen()).listSecrets(safeId, personalDev); // a fresh worker: nothing in memory
    await vault.search('anything');
    const byId = (list: { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await vault.listSecrets(safeId, personalDev))).toEqual(byId(fromRecords));
    expect((await rejection(vault.listSecrets('another-safe', personalDev))).code).toBe('not_found');
    await vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { ADDED_AFTER: 'x' } });
    expect((await vault.listSecrets(safeId, personalDev)).map((s) => ('key' in s ? s.key : ''))).toContain('ADDED_AFTER');
  });
});

describe('secrets for a site', () => {
  it('lists the secrets whose fill sites include the page origin, from every safe, and keeps sites through edits', async () => {
    const { vault } = await seeded();
    const [stripe] = await vault.create({
      safeName: 'Personal',
      envName: 'Production',
      keyValuePairs: [{ key: 'STRIPE_LIVE', value: 'sk_live', autofill: [{ origin: 'dashboard.stripe.com', subdomains: false }] }],
    });
    const [wide] = await vault.create({
      safeName: 'Billing',
      envName: 'Development',
      keyValuePairs: [
        { key: 'STRIPE_TEST', value: 'sk_test', autofill: [{ origin: 'https://stripe.com', subdomains: true, field: 'api_key' }] },
      ],
    });
    const keys = async (origin: string) => (await vault.forSite(origin)).map((h) => `${h.key}${h.protected ? ' (protected)' : ''}`);
    expect(await keys('https://dashboard.stripe.com')).toEqual(['STRIPE_LIVE (protected)', 'STRIPE_TEST']);
    expect(await keys('https://stripe.com')).toEqual(['STRIPE_TEST']);
    expect(await keys('http://dashboard.stripe.com')).toEqual([]);
    expect((await vault.get({ safeName: 'Billing', envName: 'Development', keyToFind: 'STRIPE_TEST' }))[0]!.autofill).toEqual(
      wide!.autofill,
    );

    // A rename keeps the sites; an update with [] removes them; a bad one changes nothing.
    await vault.update({ id: stripe!.id, safeName: 'Personal', envName: 'Production', newKey: 'STRIPE_SECRET' });
    expect(await keys('https://dashboard.stripe.com')).toEqual(['STRIPE_SECRET (protected)', 'STRIPE_TEST']);
    await expect(
      vault.update({
        id: wide!.id,
        safeName: 'Billing',
        envName: 'Development',
        autofill: [{ origin: 'javascript:1', subdomains: false }],
      }),
    ).rejects.toMatchObject({ code: 'invalid_input', field: 'autofill' });
    expect(await keys('https://stripe.com')).toEqual(['STRIPE_TEST']);
    await vault.update({ id: wide!.id, safeName: 'Billing', envName: 'Development', autofill: [] });
    expect(await keys('https://stripe.com')).toEqual([]);
    expect((await vault.get({ safeName: 'Billing', envName: 'Development', keyToFind: 'STRIPE_TEST' }))[0]!.autofill).toBeUndefined();
  });

  it('keeps sites sealed: the at-rest records hold no origin in the clear', async () => {
    const { vault, factory } = await seeded();
    await vault.create({
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [{ key: 'K', value: 'v', autofill: [{ origin: 'secret-host.example', subdomains: false }] }],
    });
    expect((await vault.forSite('https://secret-host.example')).map((h) => h.key)).toEqual(['K']);
    expect(dumpText(await dumpAll(factory))).not.toContain('secret-host');
  });
});
