import { describe, expect, it } from 'vitest';
import { FIRST_PAGE } from '../../../lib/vault/first-view';
import { makeVault } from './helpers';

describe("the popup's opening round trip", () => {
  it('brings a large environment as its first screenful in list order, and says more is to come', async () => {
    const { vault } = await makeVault();
    const pairs = Array.from({ length: FIRST_PAGE + 50 }, (_, i) => ({
      key: `KEY_${String(FIRST_PAGE + 50 - i).padStart(4, '0')}`,
      value: 'v',
    }));
    await vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: pairs });
    const { view } = await vault.open();
    expect(view!.complete).toBe(false);
    const keys = view!.secrets.map((s) => ('key' in s ? s.key : ''));
    expect(keys).toHaveLength(FIRST_PAGE);
    expect(keys).toEqual([...keys].sort());
    expect(keys[0]).toBe('KEY_0001');
    expect(await vault.listSecrets(view!.safeId, view!.envId)).toHaveLength(FIRST_PAGE + 50);
  });

  it('lists the safes from the names in memory, the same as from the records, and never stale ones', async () => {
    const { vault } = await makeVault();
    const { id } = await vault.createSafe('Billing');
    await vault.prepareSearch();
    expect((await vault.open()).view!.safes).toEqual(await vault.listSafes());
    await vault.renameSafe(id, 'Invoices');
    expect((await vault.open()).view!.safes.map((s) => s.name)).toEqual(['Personal', 'Invoices']);
    await vault.prepareSearch();
    expect((await vault.open()).view!.safes).toEqual(await vault.listSafes());
  });

  it('brings a small environment whole', async () => {
    const { vault } = await makeVault();
    await vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { B: '2', A: '1' } });
    const { view } = await vault.open();
    expect(view!.complete).toBe(true);
    expect(view!.secrets.map((s) => ('key' in s ? s.key : ''))).toEqual(['A', 'B']);
  });
});
