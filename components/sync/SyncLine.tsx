import type { SyncStatus } from '../../lib/sync/engine';
import { t } from '../ui/i18n';
import { syncStatusLines } from './status-text';
import { WipeQuestion } from './WipeQuestion';

/** The popup's one line on sync (nothing when the vault does not sync), and the way to settle conflicts. */
export function SyncLine({ status, onConflicts }: { status: SyncStatus | undefined; onConflicts: () => void }) {
  if (!status?.linked) return null;
  const lines = syncStatusLines(status);
  return (
    <>
      {status.wipe && <WipeQuestion wipe={status.wipe} />}
      <p className={`sync-line${status.lastError ? ' error' : ''}`} role="status" aria-label={t('syncTitle')}>
        {lines.join(' · ')}
        {status.conflicts > 0 && (
          <>
            {' '}
            <button type="button" className="link" onClick={onConflicts}>{t('syncResolve')}</button>
          </>
        )}
      </p>
    </>
  );
}
