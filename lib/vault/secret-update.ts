// The Phase-style update of one secret: value, personal override, key, path, tags, comment and autofill targets.
import { openText, sealJson, sealText } from './cipher';
import { META_AD, OVERRIDE_AD, VALUE_AD } from './associated-data';
import type { VaultContext, WriteTx } from './context';
import { commitIndex, findEntry, loadIndex, metaOf, samePathKey, type IndexEntry } from './env-index';
import { invalid, VaultError } from './errors';
import type { OverrideRecord, SecretRecord } from './schema';
import { readValue, toSecret } from './secret-records';
import { unlocked } from './session-keys';
import { resolve } from './target';
import type { Secret, UpdateOptions } from './types';
import { checkComment, checkEncryptionKey, checkKey, checkTags, checkValue, normalisePath } from './validate';
import { msg } from '../i18n';
import { checkTargets } from '../autofill/targets';

export async function update(ctx: VaultContext, o: UpdateOptions): Promise<Secret> {
  const keys = await unlocked(ctx);
  const target = await resolve(ctx, keys, o);
  const index = await loadIndex(ctx, target);
  const entry = findEntry(index, target, o.id, o.key, o.secretPath, 'key');
  const now = ctx.now();
  const updated: IndexEntry = { ...entry, tags: [...entry.tags] };
  const writes: ((tx: WriteTx) => Promise<unknown>)[] = [];
  let newValue: string | undefined;

  const overrideFlags = [o.override === true && o.value !== undefined, o.toggleOverride === true, o.deleteOverride === true];
  if (overrideFlags.filter(Boolean).length > 1) {
    throw invalid('override', 'errOverrideOneChange');
  }
  if (o.override === true) {
    if (o.value === undefined) throw invalid('value', 'errOverrideNeedsValue');
    const value = checkValue(o.value);
    const record: OverrideRecord = {
      secretId: entry.id,
      safeId: target.safe.id,
      envId: target.env.id,
      value: await sealText(keys.vaultKey, value, OVERRIDE_AD(entry.id)),
      active: true,
      updatedAt: now,
    };
    updated.hasOverride = true;
    updated.overrideActive = true;
    writes.push((tx) => tx.objectStore('overrides').put(record));
  } else if (o.toggleOverride === true) {
    const record = await ctx.db.get('overrides', entry.id);
    if (!record) throw new VaultError('not_found', msg('errNoOverrideToToggle', entry.key));
    updated.hasOverride = true;
    updated.overrideActive = !record.active;
    writes.push((tx) => tx.objectStore('overrides').put({ ...record, active: updated.overrideActive, updatedAt: now }));
  } else if (o.deleteOverride === true) {
    if (!entry.hasOverride) throw new VaultError('not_found', msg('errNoOverrideToDelete', entry.key));
    updated.hasOverride = false;
    updated.overrideActive = false;
    writes.push((tx) => tx.objectStore('overrides').delete(entry.id));
  } else if (o.value !== undefined) {
    newValue = checkValue(o.value);
  }

  if (o.newKey !== undefined) updated.key = checkKey(o.newKey, 'newKey');
  if (o.destinationPath !== undefined && o.destinationPath !== '') {
    updated.path = normalisePath(o.destinationPath, 'destinationPath');
  }
  if (o.tags !== undefined) updated.tags = checkTags(o.tags);
  if (o.comment !== undefined) updated.comment = checkComment(o.comment);
  if (o.autofill !== undefined) {
    const autofill = checkTargets(o.autofill);
    if (autofill.length > 0) updated.autofill = autofill;
    else delete updated.autofill;
  }
  if (o.encryptionKey === true) updated.encryptionKey = true;
  else if (o.encryptionKey === false) delete updated.encryptionKey;
  if (updated.encryptionKey && (newValue !== undefined || !entry.encryptionKey)) {
    // The shared value must be a key; a personal override of it is checked when it is used.
    const record = newValue === undefined ? await ctx.db.get('secrets', entry.id) : undefined;
    const value = newValue ?? (record ? await openText(target.safeKey, record.value, VALUE_AD(entry.id)) : '');
    checkEncryptionKey(value, newValue === undefined ? 'encryptionKey' : 'value');
  }
  if (
    (updated.key !== entry.key || updated.path !== entry.path) &&
    index.entries.some((e) => e.id !== entry.id && samePathKey(e, updated.path, updated.key))
  ) {
    throw new VaultError('duplicate', msg('errSecretExists', updated.key, updated.path, target.envName), {
      field: o.newKey !== undefined ? 'newKey' : 'destinationPath',
    });
  }

  const metaChanged =
    updated.key !== entry.key ||
    updated.path !== entry.path ||
    updated.comment !== entry.comment ||
    updated.tags.join('\u0000') !== entry.tags.join('\u0000') ||
    JSON.stringify(updated.autofill ?? []) !== JSON.stringify(entry.autofill ?? []) ||
    Boolean(updated.encryptionKey) !== Boolean(entry.encryptionKey);
  if (metaChanged || newValue !== undefined) {
    const record = await ctx.db.get('secrets', entry.id);
    if (!record) throw new VaultError('not_found', msg('errSecretGone'));
    const next: SecretRecord = { ...record, updatedAt: now };
    if (metaChanged) next.meta = await sealJson(target.safeKey, metaOf(updated), META_AD(entry.id));
    if (newValue !== undefined) next.value = await sealText(target.safeKey, newValue, VALUE_AD(entry.id));
    writes.push((tx) => tx.objectStore('secrets').put(next));
  }

  const entries = index.entries.map((e) => (e.id === entry.id ? updated : e));
  await commitIndex(ctx, target, index, entries, ['secrets', 'overrides'], (tx) => writes.map((w) => w(tx)));

  // Read back what a `get` would now return for this secret.
  const tx = ctx.db.transaction(['secrets', 'overrides']);
  const [record, override] = await Promise.all([tx.objectStore('secrets').get(entry.id), tx.objectStore('overrides').get(entry.id)]);
  await tx.done;
  if (!record) throw new VaultError('not_found', msg('errSecretGone'));
  const read = await readValue(keys, target.safeKey, record, override);
  return toSecret(updated, read.value, read.overridden);
}
