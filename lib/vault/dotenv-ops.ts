// Imports a .env file into one environment and path, and exports one back; dotenv.ts parses and formats.
import { nextVer } from './binding';
import { newId, type VaultContext } from './context';
import { formatDotenv, parseDotenv } from './dotenv';
import { commitIndex, loadIndex, type IndexEntry } from './env-index';
import { invalid, VaultError } from './errors';
import { queuePut } from './outbox';
import { getSecretRecords, openValue, sealSecret } from './secret-records';
import { unlocked } from './session-keys';
import { resolve } from './target';
import type { ExportDotenvOptions, ImportDotenvOptions, ImportResult } from './types';
import { checkKey, normalisePath } from './validate';
import { msg } from '../i18n';
import { resolveValue } from './reference-values';

/** Imports a .env file into one environment and path in one transaction. */
export async function importDotenv(ctx: VaultContext, o: ImportDotenvOptions): Promise<ImportResult> {
  const path = normalisePath(o.secretPath);
  const onConflict = o.onConflict ?? 'error';
  if (!['skip', 'overwrite', 'error'].includes(onConflict)) {
    throw invalid('onConflict', 'errOnConflict');
  }
  if (typeof o.text !== 'string') throw invalid('text', 'errDotenvMissing');
  const parsed = parseDotenv(o.text);
  for (const p of parsed) checkKey(p.key, 'text');
  const keys = await unlocked(ctx);
  const target = await resolve(ctx, keys, o);
  const index = await loadIndex(ctx, target);
  const existing = new Map<string, IndexEntry>();
  for (const e of index.entries) if (e.path === path) existing.set(e.key, e);

  const conflicts = parsed.filter((p) => existing.has(p.key));
  if (onConflict === 'error' && conflicts.length > 0) {
    const names = conflicts
      .slice(0, 5)
      .map((c) => c.key)
      .join(', ');
    const where = [path, target.envName];
    throw new VaultError(
      'duplicate',
      conflicts.length === 1
        ? msg('errDotenvConflictOne', names, ...where)
        : conflicts.length <= 5
          ? msg('errDotenvConflictMany', names, ...where)
          : msg('errDotenvConflictMore', names, conflicts.length - 5, ...where),
    );
  }

  const now = ctx.now();
  const result: ImportResult = { created: 0, updated: 0, skipped: 0 };
  const entries = [...index.entries];
  const position = new Map(entries.map((e, i) => [e.id, i]));
  const toUpdate: { entry: IndexEntry; value: string }[] = [];
  const toCreate: { entry: IndexEntry; value: string }[] = [];
  for (const p of parsed) {
    const found = existing.get(p.key);
    if (!found) {
      toCreate.push({
        entry: { id: newId(), key: p.key, path, tags: [], comment: p.comment ?? '', hasOverride: false, overrideActive: false },
        value: p.value,
      });
    } else if (onConflict === 'skip') {
      result.skipped++;
    } else {
      const entry = { ...found, comment: p.comment ?? found.comment };
      entries[position.get(found.id)!] = entry;
      toUpdate.push({ entry, value: p.value });
    }
  }
  const oldRecords = await getSecretRecords(
    ctx,
    toUpdate.map((u) => u.entry.id),
  );
  const records = await Promise.all([
    ...toCreate.map((c) => sealSecret(target, c.entry, c.value, now, 1)),
    ...toUpdate.map(async (u, i) => {
      const old = oldRecords[i];
      if (!old) throw new VaultError('not_found', msg('errDeletedMeanwhile', u.entry.key));
      return sealSecret(target, u.entry, u.value, now, nextVer(old), old);
    }),
  ]);
  result.created = toCreate.length;
  result.updated = toUpdate.length;
  entries.push(...toCreate.map((c) => c.entry));
  await commitIndex(ctx, target, index, entries, ['secrets', 'outbox'], (tx) =>
    records.flatMap((r) => [tx.objectStore('secrets').put(r), queuePut(tx, 'secret', r)]),
  );
  return result;
}

/**
 * The shared values (not personal overrides) of one environment and path as a .env file, their
 * references resolved (the referenced secrets read as a copy reads them),
 * comments as `#` lines above their key. Reads back through importDotenv to the same keys,
 * values and comments.
 */
export async function exportDotenv(ctx: VaultContext, o: ExportDotenvOptions): Promise<string> {
  const keys = await unlocked(ctx);
  const target = await resolve(ctx, keys, o);
  const path = normalisePath(o.secretPath);
  const index = await loadIndex(ctx, target);
  const entries = index.entries.filter((e) => e.path === path);
  const records = await getSecretRecords(
    ctx,
    entries.map((e) => e.id),
  );
  const values = await Promise.all(
    entries.map(async (e, i) => {
      const record = records[i];
      if (!record) throw new VaultError('not_found', msg('errDeletedMeanwhile', e.key));
      const shared = await openValue(target.safeKey, record);
      // References are resolved here, on this device, into the file only (never stored); one that
      // fails stops the export with its name, unless the user chose to keep it as written.
      const { value } = await resolveValue(ctx, e.id, { shared, keep: o.keepUnresolved === true });
      return { key: e.key, value, comment: e.comment };
    }),
  );
  return formatDotenv(values);
}
