// A secret's earlier versions: the format sealed beside its value, and the rules of what is kept.
// Pure (no database): secret-versions.ts reads and writes it with the records.
import { openJson, sealPaddedJson } from './cipher';
import { secretAd } from './binding';
import { damagedError, orDamaged } from './damaged';
import { entryOf, metaOf } from './env-index';
import type { Author, SecretMeta } from './types';

/** How many earlier versions a secret keeps. */
export const HISTORY_LIMIT = 20;
/**
 * And at most this much of them (UTF-8 JSON), oldest dropped first: one secret with its history stays
 * a small record to open and to carry in a backup.
 */
export const HISTORY_BYTES = 256 * 1024;

/** One earlier version, as sealed: what it said, when and where it was written, and its own version number. */
export interface HistoryEntry {
  ver: number;
  /** When this version was written (the time sealed in its meta). */
  at: number;
  by: Author;
  meta: SecretMeta;
  value: string;
}

/** The sealed history field: newest first. `v` numbers the format. */
interface SealedHistory {
  v: 1;
  entries: HistoryEntry[];
}

/** What a history that opened holds: the versions that read well, and how many did not. */
export interface OpenedHistory {
  entries: HistoryEntry[];
  damaged: number;
}

type Place = { id: string; safeId: string; envId: string; ver?: number };

/**
 * Sealed with the safe key, padded like values (a sync server sees a size bucket, not the lengths
 * of earlier values), and bound to the secret's kind, safe, environment, id, field and version
 * (binding.ts): a server cannot strip it (the meta says one exists), move it to another secret,
 * or pair one version's history with another version's value.
 */
export function sealHistory(safeKey: CryptoKey, place: Place & { ver: number }, entries: HistoryEntry[]) {
  return sealPaddedJson(safeKey, { v: 1, entries } satisfies SealedHistory, secretAd(place, 'history'));
}

/**
 * The record's earlier versions. A record written before history existed has none. A history that
 * does not open is VaultError('damaged'); an entry inside that does not read as a version is
 * counted as damaged and left out, never shown.
 */
export async function openHistory(safeKey: CryptoKey, record: Place & { history?: import('./schema').Cipher }): Promise<OpenedHistory> {
  if (!record.history) return { entries: [], damaged: 0 };
  const sealed = await orDamaged(openJson<SealedHistory>(safeKey, record.history, secretAd(record, 'history')));
  if (sealed?.v !== 1 || !Array.isArray(sealed.entries)) throw damagedError();
  const entries: HistoryEntry[] = [];
  let damaged = 0;
  for (const raw of sealed.entries) {
    const entry = checkedEntry(raw);
    if (entry) entries.push(entry);
    else damaged++;
  }
  return { entries, damaged };
}

function checkedEntry(raw: unknown): HistoryEntry | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const e = raw as Record<string, unknown>;
  const meta = e.meta as SecretMeta | undefined;
  const by = e.by as Author | undefined;
  if (
    !Number.isSafeInteger(e.ver) ||
    typeof e.at !== 'number' ||
    typeof e.value !== 'string' ||
    typeof by?.device !== 'string' ||
    meta === null ||
    typeof meta !== 'object' ||
    typeof meta.key !== 'string' ||
    typeof meta.path !== 'string'
  ) {
    return undefined;
  }
  return {
    ver: e.ver as number,
    at: e.at,
    by: { device: by.device, ...(typeof by.member === 'string' ? { member: by.member } : {}) },
    meta: metaOf(entryOf('', meta)),
    value: e.value,
  };
}

/** The history of the next version: the version being replaced first, then at most 19 before it, newest first, within the byte budget. */
export function withPrevious(previous: HistoryEntry, earlier: HistoryEntry[]): HistoryEntry[] {
  return kept([previous, ...earlier]);
}

/**
 * Versions gathered from several sources (this device's history, versions it held, copies a sync
 * server kept) as one history below version `below`: each version once, newest first, within the
 * limits. The first of two entries for one version wins (callers list what this device held first).
 */
export function mergedBelow(below: number, ...sources: HistoryEntry[][]): HistoryEntry[] {
  const byVer = new Map<number, HistoryEntry>();
  for (const entry of sources.flat()) if (entry.ver < below && !byVer.has(entry.ver)) byVer.set(entry.ver, entry);
  return kept([...byVer.values()].sort((a, b) => b.ver - a.ver));
}

/** The newest HISTORY_LIMIT entries within HISTORY_BYTES. */
function kept(newestFirst: HistoryEntry[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let bytes = 0;
  for (const entry of newestFirst.slice(0, HISTORY_LIMIT)) {
    bytes += new TextEncoder().encode(JSON.stringify(entry)).length;
    // Even the newest goes if it alone is over the budget.
    if (bytes > HISTORY_BYTES) break;
    out.push(entry);
  }
  return out;
}
