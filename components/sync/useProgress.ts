import { useEffect, useState } from 'react';
import { SYNC_STATUS_SESSION_KEY } from '../../lib/messages/protocol';
import type { SyncStatus } from '../../lib/sync/engine';
import { syncStatusLines } from './status-text';

/** While `busy` (a first upload or download), the counts the background publishes, in words; '' otherwise. */
export function useProgress(busy: boolean): string {
  const [progress, setProgress] = useState('');
  useEffect(() => {
    if (!busy) return setProgress('');
    const onChanged = (changes: Record<string, { newValue?: unknown }>) => {
      const status = changes[SYNC_STATUS_SESSION_KEY]?.newValue as SyncStatus | undefined;
      if (status) setProgress(status.progress ? syncStatusLines(status)[0]! : '');
    };
    browser.storage.session.onChanged.addListener(onChanged);
    return () => browser.storage.session.onChanged.removeListener(onChanged);
  }, [busy]);
  return progress;
}
