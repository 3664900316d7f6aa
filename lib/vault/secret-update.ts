// The Phase-style update of one secret: value, personal override, key, path, tags, comment and fill sites.
import { nextVer } from './binding';
import type { VaultContext, WriteTx } from './context';
import { commitIndex, findEntry, loadIndex, samePathKey, type IndexEntry } from './env-index';
import { invalid, VaultError } from './errors';
import { queueDelete, queuePut } from './outbox';
import { openOverride, openValue, readValue, sealOverride, toSecret } from './secret-records';
import { sealNextVersion } from './secret-versions';
import { unlocked } from './session-keys';
import { resolve } from './target';
import type { Secret, UpdateOptions } from './types';
import { checkComment, checkEncryptionKey, checkKey, checkTags, checkValue, normalisePath } from './validate';
import { msg } from '../i18n';
import { checkSites } from '../autofill/sites';
import { afterRotation, checkDay, checkPeriod, localDay, startRotation } from './rotation';
import type { Rotation } from './types';

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
  const place = { secretId: entry.id, safeId: target.safe.id, envId: target.env.id };
  if (o.override === true) {
    if (o.value === undefined) throw invalid('value', 'errOverrideNeedsValue');
    const value = checkValue(o.value);
    const previous = await ctx.db.get('overrides', entry.id);
    const record = await sealOverride(keys.vaultKey, place, { value, active: true }, now, nextVer(previous), previous);
    updated.hasOverride = true;
    updated.overrideActive = true;
    writes.push(
      (tx) => tx.objectStore('overrides').put(record),
      (tx) => queuePut(tx, 'override', record),
    );
  } else if (o.toggleOverride === true) {
    const previous = await ctx.db.get('overrides', entry.id);
    if (!previous) throw new VaultError('not_found', msg('errNoOverrideToToggle', entry.key));
    const state = await openOverride(keys.vaultKey, previous);
    const record = await sealOverride(keys.vaultKey, place, { ...state, active: !state.active }, now, nextVer(previous), previous);
    updated.hasOverride = true;
    updated.overrideActive = record.active;
    writes.push(
      (tx) => tx.objectStore('overrides').put(record),
      (tx) => queuePut(tx, 'override', record),
    );
  } else if (o.deleteOverride === true) {
    if (!entry.hasOverride) throw new VaultError('not_found', msg('errNoOverrideToDelete', entry.key));
    const previous = await ctx.db.get('overrides', entry.id);
    updated.hasOverride = false;
    updated.overrideActive = false;
    writes.push((tx) => tx.objectStore('overrides').delete(entry.id));
    if (previous) writes.push((tx) => queueDelete(tx, 'override', previous));
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
    const autofill = checkSites(o.autofill);
    if (autofill.length > 0) updated.autofill = autofill;
    else delete updated.autofill;
  }
  const today = localDay(new Date(now));
  if (o.rotation === null) delete updated.rotation;
  else if (o.rotation !== undefined) setRotation(updated, checkRotation(o.rotation, today));
  if (o.rotated === true) setRotation(updated, afterRotation(updated.rotation, today));
  if (o.encryptionKey === true) updated.encryptionKey = true;
  else if (o.encryptionKey === false) delete updated.encryptionKey;
  if (updated.encryptionKey && (newValue !== undefined || !entry.encryptionKey)) {
    // The shared value must be a key; a personal override of it is checked when it is used.
    const record = newValue === undefined ? await ctx.db.get('secrets', entry.id) : undefined;
    const value = newValue ?? (record ? await openValue(target.safeKey, record) : '');
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
    Boolean(updated.encryptionKey) !== Boolean(entry.encryptionKey) ||
    JSON.stringify(updated.rotation ?? null) !== JSON.stringify(entry.rotation ?? null);
  if (metaChanged || newValue !== undefined) {
    const record = await ctx.db.get('secrets', entry.id);
    if (!record) throw new VaultError('not_found', msg('errSecretGone'));
    // Both fields are sealed again: the version is part of each one's associated data.
    const value = newValue ?? (await openValue(target.safeKey, record));
    // The version replaced goes into the history (secret-versions.ts).
    const next = await sealNextVersion(ctx, target, record, updated, value, now);
    writes.push(
      (tx) => tx.objectStore('secrets').put(next),
      (tx) => queuePut(tx, 'secret', next),
    );
  }

  const entries = index.entries.map((e) => (e.id === entry.id ? updated : e));
  await commitIndex(ctx, target, index, entries, ['secrets', 'overrides', 'outbox'], (tx) => writes.map((w) => w(tx)));

  // Read back what a `get` would now return for this secret.
  const tx = ctx.db.transaction(['secrets', 'overrides']);
  const [record, override] = await Promise.all([tx.objectStore('secrets').get(entry.id), tx.objectStore('overrides').get(entry.id)]);
  await tx.done;
  if (!record) throw new VaultError('not_found', msg('errSecretGone'));
  const read = await readValue(keys, target.safeKey, record, override);
  return toSecret(updated, read.value, read.overridden);
}

function setRotation(entry: IndexEntry, rotation: Rotation | undefined): void {
  if (rotation) entry.rotation = rotation;
  else delete entry.rotation;
}

/** A rotation from a request: a real calendar day and/or a whole number of days; {} removes it. */
export function checkRotation(input: unknown, today: string): Rotation | undefined {
  if (input === null || typeof input !== 'object') throw invalid('rotation', 'errRotationShape');
  const { due, everyDays } = input as Record<string, unknown>;
  const rotation: Rotation = {};
  if (due !== undefined && due !== '') {
    const day = checkDay(due);
    if (day === undefined) throw invalid('rotation.due', 'errRotationDate');
    rotation.due = day;
  }
  if (everyDays !== undefined && everyDays !== null) {
    const period = checkPeriod(everyDays);
    if (period === undefined) throw invalid('rotation.everyDays', 'errRotationPeriod', 3650);
    rotation.everyDays = period;
  }
  if (rotation.due === undefined && rotation.everyDays === undefined) return undefined;
  return startRotation(rotation, today);
}
