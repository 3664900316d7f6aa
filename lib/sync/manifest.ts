// What a safe holds, as the devices that write it last wrote it: every environment, secret and
// personal override item of the safe with its version, or the version that deleted it. Pure: the
// entries, their bytes (sealed by manifest-store.ts), the merge of two writers' lists and the
// comparison with what a device was given. A server that holds back an item, hands over an older
// copy than the account wrote, or brings back a deleted one is caught by this comparison
// (rollback and withholding attacks on sync: ETH Zurich, "Zero Knowledge (About) Encryption",
// USENIX Security 2026), on a device that has synced before and on a new one alike.

import type { ItemKind } from '../vault/binding';
import { itemIdOf, KINDS, keyOfItem, RECORD_KINDS } from './kinds';

/** The item kinds a manifest lists (those with `listed` in kinds.ts: not the safe's own item, nor marks). */
export type ListedKind = 'environment' | 'secret' | 'override';
const KIND_OF: ListedKind[] = [];
for (const spec of RECORD_KINDS) if (spec.listed) KIND_OF[spec.listed.code] = spec.kind as ListedKind;
const codeOf = (kind: ListedKind) => KINDS[kind].listed!.code;
const DELETED = 0x80;

export interface Entry {
  kind: ListedKind;
  /** The environment it is in (an environment's own id for an environment). */
  envId: string;
  ver: number;
  deleted: boolean;
}

/** By item id. */
export type Entries = Map<string, Entry>;

/** The entry that wins of two writers' for one item: the higher version; at the same version, a deletion. */
export function newer(a: Entry | undefined, b: Entry): boolean {
  if (!a) return true;
  return b.ver > a.ver || (b.ver === a.ver && b.deleted && !a.deleted);
}

/** Two writers' lists as one: per item, the highest version (concurrent writers to one safe). */
export function merge(into: Entries, from: Entries): Entries {
  const out = new Map(into);
  for (const [id, entry] of from) if (newer(out.get(id), entry)) out.set(id, entry);
  return out;
}

// Bytes: a version byte, the environment table, then one row per item. Ids are UUIDs (16 bytes; an
// override's is its secret's with the kind saying so), so 10,000 secrets take about 230 KB.

const HEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuidBytes(id: string, out: Uint8Array, at: number): void {
  if (!HEX.test(id)) throw new Error(`not a UUID: ${id}`);
  const hex = id.replaceAll('-', '');
  for (let i = 0; i < 16; i++) out[at + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

function uuidText(bytes: Uint8Array, at: number): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += bytes[at + i]!.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ROW = 16 + 1 + 4 + 2;

/** Rows whose id is not a UUID (no Keysmith writes one) are left out. */
export function encode(entries: Entries): Uint8Array<ArrayBuffer> {
  const envs = new Map<string, number>();
  const rows: [string, Entry][] = [];
  for (const [id, entry] of entries) {
    const base = keyOfItem(KINDS[entry.kind as ItemKind], id);
    if (!HEX.test(base) || !HEX.test(entry.envId)) continue;
    if (!envs.has(entry.envId)) envs.set(entry.envId, envs.size);
    rows.push([base, entry]);
  }
  if (envs.size > 0xffff) throw new Error('too many environments');
  const out = new Uint8Array(1 + 2 + envs.size * 16 + 4 + rows.length * ROW);
  const view = new DataView(out.buffer);
  out[0] = 1;
  view.setUint16(1, envs.size);
  let at = 3;
  for (const env of envs.keys()) {
    uuidBytes(env, out, at);
    at += 16;
  }
  view.setUint32(at, rows.length);
  at += 4;
  for (const [id, entry] of rows) {
    uuidBytes(id, out, at);
    out[at + 16] = codeOf(entry.kind) | (entry.deleted ? DELETED : 0);
    view.setUint32(at + 17, entry.ver);
    view.setUint16(at + 21, envs.get(entry.envId)!);
    at += ROW;
  }
  return out;
}

/** How many items a list's bytes hold, without reading them. */
export function countOf(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.length < 7 ? 0 : view.getUint32(3 + view.getUint16(1) * 16);
}

/** Throws on bytes no Keysmith wrote (the caller opened them with the safe's key first). */
export function decode(bytes: Uint8Array): Entries {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 1) throw new Error('unknown manifest layout');
  const envCount = view.getUint16(1);
  let at = 3;
  const envs: string[] = [];
  for (let i = 0; i < envCount; i++, at += 16) envs.push(uuidText(bytes, at));
  const count = view.getUint32(at);
  at += 4;
  if (bytes.length !== at + count * ROW) throw new Error('manifest length');
  const out: Entries = new Map();
  for (let i = 0; i < count; i++, at += ROW) {
    const code = bytes[at + 16]!;
    const kind = KIND_OF[code & 0x7f];
    const envId = envs[view.getUint16(at + 21)];
    if (!kind || !envId) throw new Error('manifest row');
    const id = uuidText(bytes, at);
    out.set(itemIdOf(KINDS[kind], id), {
      kind,
      envId,
      ver: view.getUint32(at + 17),
      deleted: (code & DELETED) !== 0,
    });
  }
  return out;
}

/** What a device holds of one item, as far as the check needs: its version, or the version that deleted it. */
export interface Held {
  ver: number;
  deleted: boolean;
}

export type Finding = 'withheld' | 'stale' | 'resurrected';

/**
 * One item held against the manifest's word for it. Nothing to say when the device holds a later
 * version (written after this manifest) or has an edit of its own waiting (`held` undefined is an
 * item the device never got).
 */
export function compare(entry: Entry, held: Held | undefined): Finding | undefined {
  if (entry.deleted) return held && !held.deleted && held.ver <= entry.ver ? 'resurrected' : undefined;
  if (!held) return 'withheld';
  if (held.deleted) return held.ver >= entry.ver ? undefined : 'withheld';
  return held.ver < entry.ver ? 'stale' : undefined;
}
