/** The order of a list of secrets: by path, then by key within a path (the popup groups rows under paths). */
export function byPathThenKey(a: { path: string; key: string }, b: { path: string; key: string }): number {
  return a.path === b.path ? a.key.localeCompare(b.key) : a.path.localeCompare(b.path);
}
