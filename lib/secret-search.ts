import type { DamagedItem, SecretSummary } from './vault/types';

/** A row of the popup's list: a path heading, a secret, or a secret that failed to decrypt. */
export type Row =
  | { kind: 'path'; path: string }
  | { kind: 'secret'; item: SecretSummary }
  | { kind: 'damaged'; id: string; error: string };

export interface SearchIndex {
  items: SecretSummary[];
  damaged: { id: string; error: string }[];
  /** Lower-cased "key path tag tag…" per item, built once so each keystroke only scans strings. */
  haystacks: string[];
}

export function buildSearchIndex(list: (SecretSummary | DamagedItem)[]): SearchIndex {
  const items: SecretSummary[] = [];
  const damaged: { id: string; error: string }[] = [];
  for (const entry of list) {
    if ('error' in entry) damaged.push(entry);
    else items.push(entry);
  }
  items.sort((a, b) => (a.path === b.path ? a.key.localeCompare(b.key) : a.path.localeCompare(b.path)));
  const haystacks = items.map((i) => `${i.key}\n${i.path}\n${i.tags.join('\n')}`.toLowerCase());
  return { items, damaged, haystacks };
}

/**
 * The rows to show for `query`: every whitespace-separated word must appear in the key, the path
 * or a tag (case-insensitive). Rows come grouped under their path, in path then key order.
 * Damaged entries are listed last while the query is empty, so they stay visible and deletable.
 */
export function searchRows(index: SearchIndex, query: string): Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const rows: Row[] = [];
  let currentPath: string | undefined;
  for (let i = 0; i < index.items.length; i++) {
    const haystack = index.haystacks[i]!;
    if (words.length && !words.every((w) => haystack.includes(w))) continue;
    const item = index.items[i]!;
    if (item.path !== currentPath) {
      rows.push({ kind: 'path', path: item.path });
      currentPath = item.path;
    }
    rows.push({ kind: 'secret', item });
  }
  if (!words.length) for (const d of index.damaged) rows.push({ kind: 'damaged', ...d });
  return rows;
}
