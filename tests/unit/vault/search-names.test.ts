// The names search answers from: read from the sealed indexes at once, checked against the records
// in the background, kept current on every kind of write, and never trusted when an index is damaged.
import { describe, expect, it } from 'vitest';
import { openVaultDb, type IndexRecord } from '../../../lib/vault/schema';
import { DB_NAME, editRecord, getRecord, makeVault } from './helpers';

type Hit = { key: string; safeName: string; envName: string; path: string };
const where = (hits: Hit[]) => hits.map((h) => `${h.safeName}/${h.envName}${h.path === '/' ? '' : h.path}:${h.key}`).sort();

async function seeded() {
  const t = await makeVault();
  await t.vault.create({
    safeName: 'Personal',
    envName: 'Development',
    keyValuePairs: [
      { key: 'DB_PASSWORD', value: 'p1' },
      { key: 'STRIPE_KEY', value: 's1' },
    ],
  });
  const safes = await t.vault.listSafes();
  const dev = safes[0]!.environments.find((e) => e.name === 'Development')!.id;
  return { ...t, safeId: safes[0]!.id, dev };
}

/** Deletes one record straight from the database, leaving the index as it was (a cache out of step). */
async function deleteBehindIndex(factory: IDBFactory, id: string) {
  const db = await openVaultDb(factory, DB_NAME);
  await db.delete('secrets', id);
  db.close();
}

describe('the names search answers from', () => {
  it('stays current through create, rename, move, tags, delete, .env import and a renamed environment', async () => {
    const { vault, safeId, dev } = await seeded();
    expect(where((await vault.search('stripe')).hits)).toEqual(['Personal/Development:STRIPE_KEY']);
    await vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { STRIPE_WEBHOOK: 'w' } });
    expect(where((await vault.search('stripe')).hits)).toEqual(['Personal/Development:STRIPE_KEY', 'Personal/Staging:STRIPE_WEBHOOK']);
    await vault.update({ safeId, envId: dev, key: 'STRIPE_KEY', newKey: 'PAYMENTS_KEY', destinationPath: '/billing' });
    expect(where((await vault.search('stripe')).hits)).toEqual(['Personal/Staging:STRIPE_WEBHOOK']);
    expect(where((await vault.search('/billing')).hits)).toEqual(['Personal/Development/billing:PAYMENTS_KEY']);
    await vault.update({ safeId, envId: dev, key: 'PAYMENTS_KEY', secretPath: '/billing', tags: ['invoices'] });
    expect(where((await vault.search('invoices')).hits)).toEqual(['Personal/Development/billing:PAYMENTS_KEY']);
    await vault.delete({ safeId, envName: 'Staging', keyToDelete: 'STRIPE_WEBHOOK' });
    expect((await vault.search('stripe')).total).toBe(0);
    await vault.importDotenv({ safeId, envId: dev, text: 'IMPORTED_TOKEN=t\nSTRIPE_RESTRICTED=r' });
    expect(where((await vault.search('stripe')).hits)).toEqual(['Personal/Development:STRIPE_RESTRICTED']);
    await vault.updateEnvironment(dev, { name: 'Local' });
    expect(where((await vault.search('imported')).hits)).toEqual(['Personal/Local:IMPORTED_TOKEN']);
  });

  it('answers at once from a worker that has nothing in memory, with what the records hold', async () => {
    const { vault, reopen } = await seeded();
    await vault.create({ safeName: 'Personal', envName: 'Production', keyValuePairs: { PROD_TOKEN: 't' } });
    const fresh = await reopen(); // a restarted worker: still unlocked, no names in memory
    expect(where((await fresh.search('token')).hits)).toEqual(['Personal/Production:PROD_TOKEN']);
    expect((await fresh.search('')).total).toBe(3);
  });

  it('drops a secret whose record is gone once the names are checked against the records', async () => {
    const { vault, factory, reopen } = await seeded();
    const stripe = (await vault.search('stripe')).hits[0]!;
    await deleteBehindIndex(factory, stripe.id);
    const fresh = await reopen();
    // Fill, references and "used by" wait for the check; a search typed meanwhile answers from the index.
    expect(await fresh.forSite('https://nothing.example')).toEqual([]);
    expect((await fresh.search('stripe')).total).toBe(0);
    expect((await fresh.search('')).total).toBe(1);
  });

  it('finds a secret the index misses once the names are checked against the records', async () => {
    const { vault, factory, dev, reopen } = await seeded();
    const before = await getRecord<IndexRecord>(factory, 'indexes', dev);
    await vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { LATE_KEY: 'l' } });
    // The index rolled back to a copy that lacks the new secret (same revision as a copy read earlier).
    await editRecord<IndexRecord>(factory, 'indexes', dev, () => before);
    const fresh = await reopen();
    expect(await fresh.forSite('https://nothing.example')).toEqual([]);
    expect(where((await fresh.search('late')).hits)).toEqual(['Personal/Development:LATE_KEY']);
  });

  it('never trusts an index sealed for another environment: it reads that environment from its records', async () => {
    const { vault, factory, safeId, reopen } = await seeded();
    const staging = (await vault.listSafes())[0]!.environments.find((e) => e.name === 'Staging')!.id;
    const dev = (await vault.listSafes())[0]!.environments.find((e) => e.name === 'Development')!.id;
    await vault.create({ safeId, envId: staging, keyValuePairs: { STAGING_ONLY: 's' } });
    // Development's index replaced by Staging's (a valid ciphertext, bound to another environment).
    const stagingIndex = await getRecord<IndexRecord>(factory, 'indexes', staging);
    await editRecord<IndexRecord>(factory, 'indexes', dev, (own) => ({ ...stagingIndex, envId: own.envId, revision: own.revision }));
    const fresh = await reopen();
    expect(where((await fresh.search('')).hits)).toEqual([
      'Personal/Development:DB_PASSWORD',
      'Personal/Development:STRIPE_KEY',
      'Personal/Staging:STAGING_ONLY',
    ]);
  });
});
