import { describe, expect, it } from 'vitest';
import { DAMAGED_MESSAGE } from '../../../lib/vault';
import type { Cipher, IndexRecord, SafeRecord, SecretRecord } from '../../../lib/vault/schema';
import { dumpAll, dumpText, editRecord, flipByte, getRecord, makeVault, MASTER, rejection } from './helpers';

const DEV = { safeName: 'Personal', envName: 'Development' };

describe('nothing typed by the user is stored in the clear', () => {
  it('a dump of every store shows no value, key name, path, tag, comment, safe or environment name, or master password', async () => {
    const { vault, factory } = await makeVault();
    const { id: safeId } = await vault.createSafe('Quokka Payments');
    await vault.createEnvironment(safeId, 'Narwhal-QA');
    await vault.create({
      appName: 'Quokka Payments',
      envName: 'Narwhal-QA',
      secretPath: '/billing-gateway',
      keyValuePairs: [{ key: 'STRIPE_SECRET_ZQX', value: 'sk_live_value_8841', tags: ['tagalpaca'], comment: 'comment-wombat' }],
    });
    await vault.update({
      appName: 'Quokka Payments',
      envName: 'Narwhal-QA',
      key: 'STRIPE_SECRET_ZQX',
      secretPath: '/billing-gateway',
      value: 'personal_override_5521',
      override: true,
    });
    await vault.importDotenv({ ...DEV, text: 'IMPORTED_KEY_QQ=imported_value_QQ\n' });

    const text = dumpText(await dumpAll(factory));
    const secrets = [
      MASTER,
      'Quokka',
      'Narwhal',
      'billing-gateway',
      'STRIPE_SECRET_ZQX',
      'sk_live_value_8841',
      'tagalpaca',
      'comment-wombat',
      'personal_override_5521',
      'IMPORTED_KEY_QQ',
      'imported_value_QQ',
      'Development',
      'Production',
      'Personal',
    ];
    for (const plaintext of secrets) expect(text, plaintext).not.toContain(plaintext);
    // The check can fail: the dump does carry the clear fields it is allowed to.
    expect(text).toContain('Argon2id');
  });
});

describe('ciphertexts are bound to their item and field', () => {
  it('fails when a value is swapped between two items or between two fields, and a tampered record affects only itself', async () => {
    const { vault, factory } = await makeVault();
    const [a, b, c] = await vault.create({ ...DEV, keyValuePairs: { A: 'value-a', B: 'value-b', C: 'value-c' } });
    const recA = await getRecord<SecretRecord>(factory, 'secrets', a!.id);
    const recB = await getRecord<SecretRecord>(factory, 'secrets', b!.id);

    // Item swap: A's value ciphertext placed in B's record (same safe key, different id).
    await editRecord<SecretRecord>(factory, 'secrets', b!.id, (r) => ({ ...r, value: recA.value }));
    const swapped = await rejection(vault.revealSecret(b!.id));
    expect([swapped.code, swapped.message]).toEqual(['damaged', DAMAGED_MESSAGE]);
    expect(await vault.revealSecret(a!.id)).toEqual({ value: 'value-a', overridden: false });

    // Field swap: A's meta ciphertext as its value.
    await editRecord<SecretRecord>(factory, 'secrets', a!.id, (r) => ({ ...r, value: recA.meta }));
    expect((await rejection(vault.revealSecret(a!.id))).code).toBe('damaged');

    // Restoring the right ciphertexts makes both readable again: nothing else was harmed.
    await editRecord<SecretRecord>(factory, 'secrets', a!.id, () => recA);
    await editRecord<SecretRecord>(factory, 'secrets', b!.id, () => recB);
    expect((await vault.revealSecret(b!.id)).value).toBe('value-b');

    // One flipped bit in C: get() reports C, returns A and B.
    await editRecord<SecretRecord>(factory, 'secrets', c!.id, (r) => ({ ...r, value: { ...r.value, data: flipByte(r.value.data) } }));
    const all = await vault.get(DEV);
    expect(all.map((s) => s.value).sort()).toEqual(['value-a', 'value-b']);
    expect(all.damaged).toEqual([{ id: c!.id, error: DAMAGED_MESSAGE }]);
    expect((await rejection(vault.get({ ...DEV, keyToFind: 'C' }))).code).toBe('damaged');
    // The damaged secret can still be deleted, and then the environment is clean.
    await vault.deleteById(c!.id);
    expect((await vault.get(DEV)).damaged).toBeUndefined();
  });

  it('rebuilds a damaged index from the records, reporting only the damaged record', async () => {
    const { vault, factory } = await makeVault();
    const [safe] = await vault.listSafes();
    const env = safe!.environments[0]!;
    const [a, b] = await vault.create({
      ...DEV,
      secretPath: '/x',
      keyValuePairs: [
        { key: 'A', value: 'a', tags: ['t'] },
        { key: 'B', value: 'b' },
      ],
    });

    await editRecord<IndexRecord>(factory, 'indexes', env.id, (r) => ({
      ...r,
      entries: { ...r.entries, data: flipByte(r.entries.data, 3) },
    }));
    await editRecord<SecretRecord>(factory, 'secrets', b!.id, (r) => ({ ...r, meta: { ...r.meta, data: flipByte(r.meta.data) } }));
    const list = await vault.listSecrets(safe!.id, env.id);
    expect(list).toEqual([
      { id: a!.id, key: 'A', path: '/x', tags: ['t'], comment: '', overridden: false, hasOverride: false },
      { id: b!.id, error: DAMAGED_MESSAGE },
    ]);
    // Writing to the environment rewrites a good index; the damaged record stays visible.
    await vault.create({ ...DEV, keyValuePairs: { NEW: 'n' } });
    const after = await vault.listSecrets(safe!.id, env.id);
    expect(after.map((s) => ('key' in s ? s.key : s.error))).toEqual(['A', 'NEW', DAMAGED_MESSAGE]);
  });

  it('an index moved to another environment, or a safe key moved to another safe, does not decrypt', async () => {
    const { vault, factory } = await makeVault();
    await vault.createSafe('Second');
    await vault.create({ ...DEV, keyValuePairs: { ONLY_IN_DEV: '1' } });
    const [first, second] = await vault.listSafes();
    const [dev, staging] = first!.environments;
    const devIndex = await getRecord<IndexRecord>(factory, 'indexes', dev!.id);
    await editRecord<IndexRecord>(factory, 'indexes', staging!.id, (r) => ({ ...r, entries: devIndex.entries }));
    expect(await vault.listSecrets(first!.id, staging!.id)).toEqual([]); // not Development's names

    const firstSafe = await getRecord<SafeRecord>(factory, 'safes', first!.id);
    await editRecord<SafeRecord>(factory, 'safes', second!.id, (r) => ({ ...r, wrappedKey: firstSafe.wrappedKey as Cipher }));
    await vault.lock();
    await vault.unlock(MASTER);
    const safes = await vault.listSafes();
    expect(safes[0]!.name).toBe('Personal');
    expect(safes[1]).toMatchObject({ id: second!.id, name: '', error: 'This safe could not be decrypted (damaged or tampered)' });
  });

  it('a secret moved to another environment, or one field replaced by the same field of an older version, does not decrypt', async () => {
    const { vault, factory } = await makeVault();
    const [safe] = await vault.listSafes();
    const [, staging] = safe!.environments;
    const [moved, edited] = await vault.create({ ...DEV, keyValuePairs: { MOVED: 'moved-value', EDITED: 'first' } });

    // Moved: the record now names Staging, but its ciphertexts were bound to Development.
    await editRecord<SecretRecord>(factory, 'secrets', moved!.id, (r) => ({ ...r, envId: staging!.id }));
    expect(await vault.listSecrets(safe!.id, staging!.id)).toEqual([{ id: moved!.id, error: DAMAGED_MESSAGE }]);
    expect((await rejection(vault.revealSecret(moved!.id))).code).toBe('damaged');

    // Mixed versions: version 2's meta with version 1's value (both genuine, both this item's).
    const first = await getRecord<SecretRecord>(factory, 'secrets', edited!.id);
    await vault.update({ ...DEV, key: 'EDITED', value: 'second' });
    const second = await getRecord<SecretRecord>(factory, 'secrets', edited!.id);
    expect([first.ver, second.ver]).toEqual([1, 2]);
    await editRecord<SecretRecord>(factory, 'secrets', edited!.id, (r) => ({ ...r, value: first.value }));
    expect((await rejection(vault.revealSecret(edited!.id))).code).toBe('damaged');
    // Version 1 whole is still a consistent record (rejecting it takes the sync layer's version check).
    await editRecord<SecretRecord>(factory, 'secrets', edited!.id, () => first);
    expect((await vault.revealSecret(edited!.id)).value).toBe('first');
  });
});
