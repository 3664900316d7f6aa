import type { SyncStatus } from '../../lib/sync/engine';
import { plural, t, uiLanguage } from '../ui/i18n';

const time = (at: number) => new Date(at).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' });
const count = (n: number) => n.toLocaleString(uiLanguage());

/** Where sync stands, in the words the status line shows: the headline first, then what needs the user. */
export function syncStatusLines(status: SyncStatus): string[] {
  const lines: string[] = [];
  if (status.progress) {
    const { phase, done, total } = status.progress;
    lines.push(
      phase === 'upload'
        ? t('syncUploading', count(done), count(total ?? done))
        : t('syncDownloading', count(done)),
    );
  } else if (status.lastError) {
    lines.push(errorLine(status));
  } else if (status.lastSyncedAt) {
    lines.push(t('syncSyncedAt', time(status.lastSyncedAt)));
  } else {
    lines.push(t('syncNotYet'));
  }
  const waiting = status.waiting - status.refused;
  if (waiting > 0 && !(status.lastError && status.lastError.code === 'unreachable')) {
    lines.push(plural(waiting, 'syncWaitingOne', 'syncWaitingOther'));
  }
  if (status.conflicts > 0) lines.push(plural(status.conflicts, 'syncConflictsOne', 'syncConflictsOther'));
  if (status.refused > 0) lines.push(plural(status.refused, 'syncRefusedOne', 'syncRefusedOther'));
  if (status.damaged > 0) lines.push(plural(status.damaged, 'syncDamagedOne', 'syncDamagedOther'));
  return lines;
}

function errorLine(status: SyncStatus): string {
  const error = status.lastError!;
  const retry = status.retryAt ? t('syncRetryAt', time(status.retryAt)) : '';
  const waiting = status.waiting - status.refused;
  switch (error.code) {
    case 'unreachable':
    case 'timeout':
      return waiting > 0
        ? plural(waiting, 'syncUnreachableWaitingOne', 'syncUnreachableWaitingOther')
        : t('syncUnreachable', retry);
    case 'rate_limited':
      return t('syncRateLimited', retry);
    case 'server_error':
      return t('syncServerError', retry);
    case 'quota_exceeded':
      return t('syncQuotaExceeded');
    case 'bad_answer':
      return t('syncServerBadAnswer', retry);
    case 'auth_failed':
      return t('syncAuthFailed');
    case 'server_refused':
      // Fixed words and the HTTP status only: the server's own text never reaches Keysmith's pages.
      return t('syncServerRefused', String(error.status ?? ''));
    case 'server_replayed':
      return t('syncServerReplayed', retry);
    default:
      // A failure of this device's own (a VaultError): its message is Keysmith's.
      return error.message;
  }
}
