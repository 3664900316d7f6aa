import type { DamagedItem, SecretSummary } from '../../lib/vault/types';

/** The distinct paths of an environment's readable secrets, `/` first, then alphabetical. */
export function pathsOf(items: (SecretSummary | DamagedItem)[]): string[] {
  const paths = new Set(items.flatMap((i) => ('key' in i ? [i.path] : [])));
  return [...paths].sort((a, b) => (a === '/' ? -1 : b === '/' ? 1 : a.localeCompare(b)));
}

/** Keys stored under more than one path: a single .env file can hold only one of each. */
export function keysInSeveralPaths(items: (SecretSummary | DamagedItem)[]): string[] {
  const seen = new Map<string, Set<string>>();
  for (const i of items) if ('key' in i) seen.set(i.key, (seen.get(i.key) ?? new Set()).add(i.path));
  return [...seen]
    .filter(([, paths]) => paths.size > 1)
    .map(([key]) => key)
    .sort();
}

/**
 * One .env text for several paths: each path's block under a `# Path: …` heading. The blank line
 * after the heading keeps it from being read back as the first key's comment.
 */
export function mergePaths(parts: { path: string; text: string }[]): string {
  if (parts.length === 1) return parts[0]!.text;
  return parts
    .filter((p) => p.text !== '')
    .map((p) => `# Path: ${p.path}\n\n${p.text}`)
    .join('\n');
}
