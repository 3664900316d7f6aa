// What an import will do, decided before anything is written: the preview, then the plan it confirms.
import { msg } from '../i18n';
import { VaultError } from '../vault/errors';
import { MAX_KEY_LENGTH } from '../vault/validate';
import type { ImportedSecret } from './types';

/** Per clash: leave the stored secret, replace its value, or store the imported one beside it under a new key. */
export type ClashChoice = 'skip' | 'overwrite' | 'keep';
export const CLASH_CHOICES: readonly ClashChoice[] = ['skip', 'overwrite', 'keep'];

/** A secret already in the chosen environment, by name. */
export interface Existing {
  id: string;
  path: string;
  key: string;
}

export interface Clash {
  /** Stable across preview and import: the choices are keyed by it. */
  id: string;
  path: string;
  key: string;
}

export interface Preview {
  /** How many secrets go to each path, in order of appearance. */
  paths: { path: string; count: number }[];
  clashes: Clash[];
  /** Names that appear more than once in the file: the later ones get a new key (`KEY_2`). */
  renamed: number;
}

export interface Plan {
  /** New secrets, one group per path (one vault transaction each). */
  creates: { path: string; secrets: ImportedSecret[] }[];
  overwrites: { id: string; secret: ImportedSecret }[];
  skipped: number;
}

export function clashId(path: string, key: string): string {
  return JSON.stringify([path, key]);
}

/**
 * The secrets with names made unique within the file: a later `KEY` at the same path becomes the
 * first of `KEY_2`, `KEY_3`, … free in the file. The vault is not consulted, so importing the same
 * file again gives the same names, and they clash (and are asked about) rather than pile up.
 */
function unique(secrets: readonly ImportedSecret[]): { secrets: ImportedSecret[]; renamed: number } {
  const seen = new Set<string>();
  let renamed = 0;
  const out = secrets.map((s) => {
    if (!seen.has(clashId(s.path, s.key))) {
      seen.add(clashId(s.path, s.key));
      return s;
    }
    renamed++;
    const key = freeKey(s.path, s.key, (id) => seen.has(id));
    seen.add(clashId(s.path, key));
    return { ...s, key };
  });
  return { secrets: out, renamed };
}

/** `KEY_2`, `KEY_3`, … : the first name free at that path. */
function freeKey(path: string, key: string, used: (id: string) => boolean): string {
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = key.slice(0, MAX_KEY_LENGTH - suffix.length) + suffix;
    if (!used(clashId(path, candidate))) return candidate;
  }
}

export function previewImport(secrets: readonly ImportedSecret[], existing: readonly Existing[]): Preview {
  const stored = new Set(existing.map((e) => clashId(e.path, e.key)));
  const { secrets: named, renamed } = unique(secrets);
  const counts = new Map<string, number>();
  const clashes: Clash[] = [];
  for (const s of named) {
    counts.set(s.path, (counts.get(s.path) ?? 0) + 1);
    if (stored.has(clashId(s.path, s.key))) clashes.push({ id: clashId(s.path, s.key), path: s.path, key: s.key });
  }
  return { paths: [...counts].map(([path, count]) => ({ path, count })), clashes, renamed };
}

/**
 * The writes the user confirmed. Every clash needs a choice: one without (the vault gained that
 * name after the preview) stops the import before anything is written, so no secret is replaced
 * that the user was not asked about.
 */
export function planImport(
  secrets: readonly ImportedSecret[],
  existing: readonly Existing[],
  choices: Readonly<Record<string, ClashChoice>>,
): Plan {
  const stored = new Map(existing.map((e) => [clashId(e.path, e.key), e]));
  const { secrets: named } = unique(secrets);
  const taken = new Set([...stored.keys(), ...named.map((s) => clashId(s.path, s.key))]);
  const groups = new Map<string, ImportedSecret[]>();
  const plan: Plan = { creates: [], overwrites: [], skipped: 0 };
  const create = (s: ImportedSecret) => groups.set(s.path, [...(groups.get(s.path) ?? []), s]);
  for (const s of named) {
    const id = clashId(s.path, s.key);
    const found = stored.get(id);
    if (!found) {
      create(s);
      continue;
    }
    const choice = Object.hasOwn(choices, id) ? choices[id] : undefined;
    if (choice === 'skip') plan.skipped++;
    else if (choice === 'overwrite') plan.overwrites.push({ id: found.id, secret: s });
    else if (choice === 'keep') {
      const key = freeKey(s.path, s.key, (other) => taken.has(other));
      taken.add(clashId(s.path, key));
      create({ ...s, key });
    } else throw new VaultError('import_changed', msg('errImportChanged', s.key, s.path));
  }
  plan.creates = [...groups].map(([path, list]) => ({ path, secrets: list }));
  return plan;
}
