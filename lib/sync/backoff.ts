// When to try the sync server again after a failure: exponential backoff with "equal jitter"
// (AWS Architecture Blog, "Exponential Backoff and Jitter"), or exactly what `Retry-After` says.

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * A wait in [c/2, c] with c = min(cap, base·2^(failures−1)): it grows with each failure, and many
 * devices failing together spread out instead of returning at the same instant.
 */
export function backoffMs(failures: number, random: () => number = Math.random, cap = BACKOFF_CAP_MS): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 20));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
