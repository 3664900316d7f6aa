import { useState } from 'react';
import type { SyncStatus } from '../../lib/sync/engine';
import { t } from '../ui/i18n';
import { syncStatusLines } from './status-text';
import { WipeQuestion } from './WipeQuestion';
import { useNow } from './useNow';
import { useSafeNames } from './useSafeNames';

/** The popup's one line on sync (nothing when the vault does not sync), *Sync now*, and the way to settle conflicts. */
export function SyncLine({
  status,
  onConflicts,
  onSyncNow,
}: {
  status: SyncStatus | undefined;
  onConflicts: () => void;
  onSyncNow: () => Promise<void>;
}) {
  const now = useNow(status?.retryAt);
  const [busy, setBusy] = useState(false);
  const names = useSafeNames(status);
  if (!status?.linked) return null;
  const lines = syncStatusLines(status, now, names);
  const syncNow = () => {
    setBusy(true);
    // A failure shows in the status line itself (published by the background).
    void onSyncNow()
      .catch(() => undefined)
      .finally(() => setBusy(false));
  };
  return (
    <>
      {status.wipe && <WipeQuestion wipe={status.wipe} />}
      <p className={`sync-line${status.lastError ? ' error' : ''}`} role="status" aria-label={t('syncTitle')}>
        {lines.join(' · ')}{' '}
        <button type="button" className="link" onClick={syncNow} disabled={busy || status.progress !== undefined}>
          {t('syncNow')}
        </button>
        {status.conflicts > 0 && (
          <>
            {' '}
            <button type="button" className="link" onClick={onConflicts}>
              {t('syncResolve')}
            </button>
          </>
        )}
      </p>
    </>
  );
}
