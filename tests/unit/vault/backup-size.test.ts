import { describe, expect, it } from 'vitest';
import { MAX_BACKUP_BYTES } from '../../../lib/vault/backup-limits';
import { HISTORY_LIMIT } from '../../../lib/vault/history';
import type { SecretRecord } from '../../../lib/vault/schema';
import { dumpAll, dumpText, editRecord, makeVault, rejection } from './helpers';

const PASSWORD = 'backup-Pass-2026';
const MiB = 1024 * 1024;
/** A 50-character value, different for each secret and each edit, like a rotated API key. */
const apiKey = (secret: number, edit: number) =>
  `sk_live_${String(secret).padStart(5, '0')}_${String(edit).padStart(2, '0')}_${'x'.repeat(33)}`;

describe('backup size against the 48 MiB cap', () => {
  // The arithmetic behind docs/vault.md "Backups": the bytes a secret adds to a backup, measured on
  // a real export, fresh and after 20 edits (a full history), times 10,000.
  it('10,000 secrets edited 20 times each would not fit; 10,000 never edited would', async () => {
    const { vault } = await makeVault();
    const SAMPLE = 25;
    const empty = (await vault.exportBackup(PASSWORD)).length;
    const ids: string[] = [];
    for (let s = 0; s < SAMPLE; s++) {
      const [created] = await vault.create({
        appName: 'Personal',
        envName: 'Production',
        secretPath: '/api',
        keyValuePairs: [{ key: `SERVICE_${s}_API_KEY`, value: apiKey(s, 0), tags: ['payments'], comment: 'live key' }],
      });
      ids.push(created!.id);
    }
    const fresh = (await vault.exportBackup(PASSWORD)).length;
    for (let edit = 1; edit <= HISTORY_LIMIT; edit++) {
      for (const [s, id] of ids.entries()) await vault.update({ appName: 'Personal', envName: 'Production', id, value: apiKey(s, edit) });
    }
    expect((await vault.history(ids[0]!)).versions).toHaveLength(HISTORY_LIMIT);
    const edited = (await vault.exportBackup(PASSWORD)).length;

    const perFresh = (fresh - empty) / SAMPLE;
    const perEdited = (edited - empty) / SAMPLE;
    console.info(
      `backup bytes per secret: ${perFresh.toFixed(0)} never edited, ${perEdited.toFixed(0)} with ${HISTORY_LIMIT} versions; ` +
        `10,000 secrets: ${((empty + 10_000 * perFresh) / MiB).toFixed(1)} MiB / ${((empty + 10_000 * perEdited) / MiB).toFixed(1)} MiB; ` +
        `the cap holds ${Math.floor((MAX_BACKUP_BYTES - empty) / perEdited)} secrets with full histories`,
    );
    expect(empty + 10_000 * perFresh).toBeLessThan(MAX_BACKUP_BYTES);
    expect(empty + 10_000 * perEdited).toBeGreaterThan(MAX_BACKUP_BYTES);
  }, 120_000);

  it('an export over the cap is refused with its size before anything is saved, and the vault stays as it was', async () => {
    const { vault, factory } = await makeVault();
    const created = await vault.create({
      appName: 'Personal',
      envName: 'Development',
      keyValuePairs: Object.fromEntries(Array.from({ length: 10 }, (_, s) => [`BLOB_${s}`, apiKey(s, 0)])),
    });
    // Ten records carrying 3 MB of history each, as long histories of large values would (written
    // straight into the store: an export copies ciphertext, it opens none). 30 MB sealed, base64
    // twice over in the file: about 51 MiB.
    for (const { id } of created) {
      await editRecord<SecretRecord>(factory, 'secrets', id, (r) => ({
        ...r,
        history: { iv: new Uint8Array(12), data: new Uint8Array(3_000_000) },
      }));
    }
    const before = dumpText(await dumpAll(factory));
    const refused = await rejection(vault.exportBackup(PASSWORD));
    expect(refused.code).toBe('backup_too_large');
    const [, size] = /would take (\d+) MiB, more than the 48 MiB a backup can hold, so nothing was saved/.exec(refused.message) ?? [];
    expect(Number(size)).toBeGreaterThanOrEqual(50);
    expect(Number(size)).toBeLessThanOrEqual(52);
    // Compared as text: toEqual walks 30 MB of bytes one by one.
    expect(dumpText(await dumpAll(factory)) === before).toBe(true);
    // Two fewer, and the file fits again.
    await vault.deleteById(created[0]!.id);
    await vault.deleteById(created[1]!.id);
    expect((await vault.exportBackup(PASSWORD)).length).toBeLessThanOrEqual(MAX_BACKUP_BYTES);
  }, 120_000);
});
