import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../../adapters/messenger';
import { SYNC_STATUS_SESSION_KEY } from '../../lib/messages/protocol';
import type { SyncStatus } from '../../lib/sync/engine';

/**
 * Sync's status for a page, pushed: the background publishes every change in `storage.session`
 * (entrypoints/background/sync.ts) and the page follows it with storage.onChanged, so an open page
 * costs the server nothing. `onRemoteChange` runs when changes from another device were taken in.
 * The page asks once as it opens (a message to the background, not to the server).
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
    let pushed = false;
    const onChanged = (changes: Record<string, { newValue?: unknown }>) => {
      const next = changes[SYNC_STATUS_SESSION_KEY]?.newValue as SyncStatus | undefined;
      if (!next) return;
      pushed = true;
      take(next);
    };
    browser.storage.session.onChanged.addListener(onChanged);
    // The first answer loses to anything pushed meanwhile, which is newer.
    void call('sync.status').then(
      (first) => pushed || take(first),
      () => undefined,
    );
    return () => browser.storage.session.onChanged.removeListener(onChanged);
  }, [take]);

  return { status, refresh, syncNow, setStatus: take };
}
