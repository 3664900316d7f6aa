// Writing a new version of a secret keeps the one it replaces in the history (history.ts); the
// detail view lists the history, reveals one version, and restores one as a new version.
import { nextVer, secretAd } from './binding';
import { openJson } from './cipher';
import type { VaultContext } from './context';
import { orDamaged } from './damaged';
import { metaOf, type IndexEntry } from './env-index';
import { VaultError } from './errors';
import { type HistoryEntry, mergedBelow, openHistory, sealHistory, withPrevious } from './history';
import type { SecretRecord } from './schema';
import { openValue, type SealedMeta, type SealTarget, sealSecret } from './secret-records';
import { authorOf } from './settings-store';
import { unlocked } from './session-keys';
import { resolve } from './target';
import type { SecretHistory, UpdateOptions } from './types';
import { msg } from '../i18n';

/**
 * The next version of `record`, saying `entry` and `value`, written by this device: the version it
 * replaces goes first in its history. A history that no longer opens is not carried over: nobody
 * can ever read it (AES-GCM fails for good), so nothing readable is lost, and the damage was
 * reported while it lasted.
 */
export async function sealNextVersion(
  ctx: VaultContext,
  target: SealTarget,
  record: SecretRecord,
  entry: IndexEntry,
  value: string,
  now: number,
): Promise<SecretRecord> {
  const [previous, earlier, by] = await Promise.all([
    versionOf(target.safeKey, record),
    openHistory(target.safeKey, record).then(
      (h) => h.entries,
      () => [],
    ),
    authorOf(ctx),
  ]);
  return sealSecret(target, entry, value, now, nextVer(record), record, { by, history: withPrevious(previous, earlier) });
}

/**
 * A version taken from another device, with the history this device keeps of it. A sync item carries
 * one version and no history (lib/sync/items.ts), so each device keeps the versions it held: the one
 * `incoming` replaces here (`replaced`, unless it said the same) and that one's history, sealed
 * again for the new version. A version written with its history (by a Keysmith before histories
 * stayed on their devices) keeps that one, whose binding was checked when it arrived.
 */
export async function withHeldHistory(
  safeKey: CryptoKey,
  held: SecretRecord,
  incoming: SecretRecord,
  opts: { replaced: boolean },
): Promise<SecretRecord> {
  if (incoming.history) return incoming;
  const [previous, earlier] = await Promise.all([
    // A version held here that no longer opens is not carried (nobody can read it: see sealNextVersion).
    opts.replaced ? versionOf(safeKey, held).catch(() => undefined) : undefined,
    openHistory(safeKey, held).then(
      (h) => h.entries,
      () => [],
    ),
  ]);
  const entries = mergedBelow(incoming.ver ?? 0, previous ? [previous] : [], earlier);
  if (entries.length === 0) return incoming;
  return { ...incoming, history: await sealHistory(safeKey, { ...incoming, ver: incoming.ver ?? 0 }, entries) };
}

/**
 * Earlier versions a sync server kept of this secret (each a whole secret at its own version, sealed
 * and bound to this secret, its place and its number), merged into the history held here. A copy that
 * does not open as this secret at a version below the current one is counted, never kept: a server
 * can withhold versions, not forge, move or renumber one. Returns how many were added and refused.
 */
export async function takeEarlierVersions(
  ctx: VaultContext,
  id: string,
  copies: SecretRecord[],
): Promise<{ added: number; refused: number }> {
  const { record, safeKey } = await recordAndKey(ctx, id);
  const held = await openHistory(safeKey, record).catch(() => undefined);
  // A history that no longer opens stays as it is (reported by the history view), never replaced.
  if (!held) return { added: 0, refused: 0 };
  const known = new Set(held.entries.map((e) => e.ver));
  const opened = await Promise.all(
    copies.map((copy) =>
      copy.id === id && copy.safeId === record.safeId && (copy.ver ?? 0) < (record.ver ?? 0) && (copy.ver ?? 0) > 0
        ? versionOf(safeKey, copy).catch(() => undefined)
        : undefined,
    ),
  );
  const taken = opened.filter((e): e is HistoryEntry => e !== undefined);
  const refused = opened.length - taken.length;
  // What is held here wins for a version both have; the limits may leave out the oldest copies.
  const entries = mergedBelow(record.ver ?? 0, held.entries, taken);
  const added = entries.filter((e) => !known.has(e.ver)).length;
  if (added === 0) return { added, refused };
  const history = await sealHistory(safeKey, { ...record, ver: record.ver ?? 0 }, entries);
  // Only the history changes: the version, its revision and the outbox stay as they are (a history
  // is this device's own; it is not sent).
  await ctx.db.put('secrets', { ...record, history });
  return { added, refused };
}

/** The version a record holds, as a history entry (a version written before history has no author: an empty name). */
async function versionOf(safeKey: CryptoKey, record: SecretRecord): Promise<HistoryEntry> {
  const [meta, value] = await Promise.all([
    orDamaged(openJson<SealedMeta>(safeKey, record.meta, secretAd(record, 'meta'))),
    openValue(safeKey, record),
  ]);
  return {
    ver: record.ver ?? 0,
    at: typeof meta.writtenAt === 'number' ? meta.writtenAt : record.updatedAt,
    by: typeof meta.by?.device === 'string' ? meta.by : { device: '' },
    meta: metaOf(meta),
    value,
  };
}

async function recordAndKey(ctx: VaultContext, id: string): Promise<{ record: SecretRecord; safeKey: CryptoKey }> {
  const keys = await unlocked(ctx);
  const record = await ctx.db.get('secrets', id);
  if (!record) throw new VaultError('not_found', msg('errSecretGone'));
  const target = await resolve(ctx, keys, { safeId: record.safeId, envId: record.envId });
  return { record, safeKey: target.safeKey };
}

/** A secret's earlier versions, newest first, without their values; damage is reported, never shown. */
export async function secretHistory(ctx: VaultContext, id: string): Promise<SecretHistory> {
  const { record, safeKey } = await recordAndKey(ctx, id);
  const meta = await orDamaged(openJson<SealedMeta>(safeKey, record.meta, secretAd(record, 'meta')));
  const current = {
    ver: record.ver ?? 0,
    ...(typeof meta.writtenAt === 'number' ? { at: meta.writtenAt } : {}),
    ...(typeof meta.by?.device === 'string' ? { by: meta.by } : {}),
  };
  let opened: { entries: HistoryEntry[]; damaged: number };
  try {
    opened = await openHistory(safeKey, record);
  } catch (error) {
    if (!(error instanceof VaultError && error.code === 'damaged')) throw error;
    return { current, versions: [], damaged: true };
  }
  return {
    current,
    versions: opened.entries.map((e) => ({ ...e.meta, ver: e.ver, at: e.at, by: e.by })),
    damaged: opened.damaged > 0,
  };
}

async function findVersion(ctx: VaultContext, id: string, ver: number): Promise<HistoryEntry> {
  const { record, safeKey } = await recordAndKey(ctx, id);
  const entry = (await openHistory(safeKey, record)).entries.find((e) => e.ver === ver);
  if (!entry) throw new VaultError('not_found', msg('errVersionGone'));
  return entry;
}

/** One earlier version's value, for Reveal. */
export async function revealVersion(ctx: VaultContext, id: string, ver: number): Promise<{ value: string }> {
  return { value: (await findVersion(ctx, id, ver)).value };
}

/**
 * Restore: a new version saying what that one said (value and names), written like any edit, so
 * the current version goes into the history and nothing in it is rewritten. A name now held by
 * another secret is refused, as a rename would be.
 */
export async function restoreOptions(ctx: VaultContext, id: string, ver: number): Promise<UpdateOptions> {
  const entry = await findVersion(ctx, id, ver);
  const { record } = await recordAndKey(ctx, id);
  const m = entry.meta;
  return {
    safeId: record.safeId,
    envId: record.envId,
    id,
    value: entry.value,
    newKey: m.key,
    destinationPath: m.path,
    tags: m.tags,
    comment: m.comment,
    autofill: m.autofill ?? [],
    encryptionKey: m.encryptionKey === true,
    rotation: m.rotation ?? null,
  };
}
