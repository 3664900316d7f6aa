import { byPathThenKey } from './vault/order';
import type { DamagedItem, SearchHit, SearchResult, SecretSummary } from './vault/types';

/**
 * A row of the popup's list: a heading (a path of the environment on screen, or another safe and
 * environment), a secret, or a secret that failed to decrypt.
 */
export type Row =
  | { kind: 'heading'; text: string; protected?: boolean }
  | { kind: 'secret'; item: SecretSummary; where?: SearchHit }
  | { kind: 'damaged'; id: string; error: string };

/** The environment on screen, browsed: secrets under their path in path then key order, damaged ones last. */
export function browseRows(list: (SecretSummary | DamagedItem)[]): Row[] {
  const items: SecretSummary[] = [];
  const damaged: DamagedItem[] = [];
  for (const entry of list) {
    if ('error' in entry) damaged.push(entry);
    else items.push(entry);
  }
  items.sort(byPathThenKey);
  const rows: Row[] = [];
  let path: string | undefined;
  for (const item of items) {
    if (item.path !== path) rows.push({ kind: 'heading', text: (path = item.path) });
    rows.push({ kind: 'secret', item });
  }
  for (const d of damaged) rows.push({ kind: 'damaged', ...d });
  return rows;
}

/**
 * A whole-vault search's hits: those of the environment on screen under their paths, then the
 * others under "safe › environment" (protected ones marked), each keeping where it lives.
 */
export function hitRows(result: SearchResult, currentEnvId: string): Row[] {
  const rows: Row[] = [];
  let heading: string | undefined;
  for (const hit of result.hits) {
    const here = hit.envId === currentEnvId;
    const text = here ? hit.path : `${hit.safeName} › ${hit.envName}`;
    const group = `${hit.envId}\n${here ? hit.path : ''}`;
    if (group !== heading) {
      rows.push({ kind: 'heading', text, ...(hit.protected && !here ? { protected: true } : {}) });
      heading = group;
    }
    rows.push({ kind: 'secret', item: hit, ...(here ? {} : { where: hit }) });
  }
  return rows;
}
