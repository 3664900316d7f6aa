import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SyncStatus } from '../../lib/sync/engine';

/** How often an open page asks for news while the vault syncs: a change made elsewhere shows within about this. */
export const POLL_MS = 1_500;

/**
 * Sync's status for a page, and news from other devices while the page is open and visible: each
 * poll is a scheduled sync (one cheap request when nothing changed; the background waits out a
 * backoff), and `onRemoteChange` runs when it took something in. Polls are not activity: they never
 * keep the vault from auto-locking. A page of a vault that does not sync only reads the status,
 * so it notices an account connected from another page.
 */
export function useSyncStatus(onRemoteChange?: () => void) {
  const [status, setStatus] = useState<SyncStatus>();
  const seen = useRef<number | undefined>(undefined);
  const notify = useRef(onRemoteChange);
  notify.current = onRemoteChange;

  const take = useCallback((next: SyncStatus) => {
    setStatus(next);
    if (seen.current !== undefined && next.remoteChangeAt !== undefined && next.remoteChangeAt !== seen.current) notify.current?.();
    seen.current = next.remoteChangeAt ?? 0;
  }, []);

  const refresh = useCallback(async () => take(await call('sync.status')), [take]);
  const syncNow = useCallback(async () => take(await call('sync.now', {})), [take]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A hidden page (another tab in front) skips its turn.
    const later = () => {
      timer = setTimeout(() => (document.visibilityState === 'visible' ? void tick(false) : later()), POLL_MS);
    };
    let linked = false;
    const tick = async (first: boolean) => {
      try {
        // Linked: a scheduled sync. Not (yet): only the status, which stays on this device.
        const next = first || !linked ? await call('sync.status') : await call('sync.now', { scheduled: true });
        if (stopped) return;
        linked = next.linked;
        take(next);
      } catch {
        if (stopped) return;
      }
      later();
    };
    void tick(true);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [take]);

  return { status, refresh, syncNow, setStatus: take };
}
