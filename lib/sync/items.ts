// A record as the sync server stores it: an item of opaque strings (docs/server.md, "Sync"), and back.
// Only shapes are checked here; whether a ciphertext belongs where the item says is decided by
// opening it with its binding (apply.ts).
import type { ItemKind } from '../vault/binding';
import { cipherFromWire, cipherToWire, ItemShapeError } from '../vault/cipher-wire';
import { overrideItemId, recordKey } from '../vault/outbox';
import { kindOf } from './kinds';
import type { EnvironmentRecord, OverrideRecord, SafeRecord, SecretRecord, SentLog, ServerItem } from '../vault/schema';

/** What the server's batch write takes for one item. */
export interface ItemWrite {
  id: string;
  safe_id: string;
  kind: ItemKind;
  baseRevision: number;
  deleted: boolean;
  ciphertext: Record<string, string>;
}

export { cipherFromWire, cipherToWire, ItemShapeError } from '../vault/cipher-wire';

function verOf(item: ServerItem): number {
  const text = item.ciphertext.ver;
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,8}$/.test(text)) throw new ItemShapeError('bad version');
  return Number(text);
}

function idOf(text: string | undefined): string {
  if (typeof text !== 'string' || !/^[0-9a-f-]{36}$/.test(text)) throw new ItemShapeError('bad id');
  return text;
}

// Local record → item

export function safeItem(r: SafeRecord): Record<string, string> {
  return { ver: String(r.ver), created: String(r.createdAt), key: cipherToWire(r.wrappedKey), name: cipherToWire(r.name) };
}

export function environmentItem(r: EnvironmentRecord): Record<string, string> {
  if (!r.flags) throw new Error('environment without sealed flags');
  return { ver: String(r.ver), name: cipherToWire(r.name), flags: cipherToWire(r.flags) };
}

/**
 * One version, without its history: each device keeps the versions it held (withHeldHistory in
 * lib/vault/secret-versions.ts), and the server keeps the copies it replaced, for a device that lacks
 * some (the history view asks for them). One edit costs one version's bytes, not twenty.
 */
export function secretItem(r: SecretRecord): Record<string, string> {
  return { env: r.envId, ver: String(r.ver), meta: cipherToWire(r.meta), value: cipherToWire(r.value) };
}

export function overrideItem(r: OverrideRecord): Record<string, string> {
  return { env: r.envId, ver: String(r.ver), value: cipherToWire(r.value) };
}

// Item → local record, not yet opened (apply.ts opens each before keeping it)

export function safeFromItem(item: ServerItem, orgId: string): SafeRecord {
  if (item.id !== item.safe_id) throw new ItemShapeError('a safe item names another safe');
  const created = Number(item.ciphertext.created);
  return {
    id: idOf(item.id),
    orgId,
    wrappedKey: cipherFromWire(item.ciphertext.key),
    name: cipherFromWire(item.ciphertext.name),
    createdAt: Number.isSafeInteger(created) ? created : 0,
    ...versions(item),
  };
}

export function environmentFromItem(item: ServerItem): Omit<EnvironmentRecord, 'protected' | 'position'> {
  return {
    id: idOf(item.id),
    safeId: idOf(item.safe_id),
    name: cipherFromWire(item.ciphertext.name),
    flags: cipherFromWire(item.ciphertext.flags),
    ...versions(item),
  };
}

export function secretFromItem(item: ServerItem, now: number): SecretRecord {
  return {
    id: idOf(item.id),
    safeId: idOf(item.safe_id),
    envId: idOf(item.ciphertext.env),
    meta: cipherFromWire(item.ciphertext.meta),
    value: cipherFromWire(item.ciphertext.value),
    // Written by a Keysmith that sent histories with their versions: opened and kept as before.
    ...(item.ciphertext.history === undefined ? {} : { history: cipherFromWire(item.ciphertext.history) }),
    updatedAt: now,
    ...versions(item),
  };
}

export function overrideFromItem(item: ServerItem, now: number): Omit<OverrideRecord, 'active'> {
  const secretId = idOf(recordKey(item.id));
  if (overrideItemId(secretId) !== item.id) throw new ItemShapeError('bad override id');
  return {
    secretId,
    safeId: idOf(item.safe_id),
    envId: idOf(item.ciphertext.env),
    value: cipherFromWire(item.ciphertext.value),
    updatedAt: now,
    ...versions(item),
  };
}

/** An item's shape read into its record, or undefined when no Keysmith wrote it (refused as malformed). */
export function shapeOf<R>(read: () => R): R | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ItemShapeError) return undefined;
    throw error;
  }
}

/** A record taken from the server is at the version it claims, which is also the highest seen. */
function versions(item: ServerItem): { ver: number; rev: number; seen: number } {
  const ver = verOf(item);
  return { ver, rev: item.revision, seen: ver };
}

/**
 * One sealing of an item: its version and the IV (the first 12 bytes, 16 base64 characters) of a
 * field sealed anew with every version. IVs are random, so two devices' sealings never share one.
 */
export function sealingOf(ciphertext: Record<string, string | undefined>): string | undefined {
  const field = ciphertext.value ?? ciphertext.name;
  return typeof field === 'string' && typeof ciphertext.ver === 'string' ? `${ciphertext.ver}:${field.slice(0, 16)}` : undefined;
}

/** Whether a server copy is one this device sent (its answer lost), by the log `noteSent` keeps. */
export function sentHere(log: SentLog, item: ServerItem): boolean {
  const sealing = item.deleted ? undefined : sealingOf(item.ciphertext);
  return sealing !== undefined && (log[item.id]?.includes(sealing) ?? false);
}

/** The version an item claims, for a deletion's or a conflict's comparison; 0 when it has none. */
export function claimedVer(item: ServerItem): number {
  try {
    return verOf(item);
  } catch {
    return 0;
  }
}

/** The record kinds, in push and pull order (kinds.ts holds what each is). */
export const ITEM_KINDS: readonly ItemKind[] = ['safe', 'environment', 'secret', 'override'];

export function isItemKind(kind: string): kind is ItemKind {
  return kindOf(kind) !== undefined;
}
