import type { SyncStatus } from '../../lib/sync/engine';
import type { ManifestFinding } from '../../lib/sync/manifest-store';
import { plural, t, uiLanguage } from '../ui/i18n';

const time = (at: number) => new Date(at).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' });
const count = (n: number) => n.toLocaleString(uiLanguage());

/**
 * Where sync stands, in the words the status line shows: the headline first, when the next try is
 * after a failure (counted down against `now`), then what needs the user.
 */
export function syncStatusLines(status: SyncStatus, now = Date.now(), names: SafeNames = new Map()): string[] {
  const lines: string[] = [];
  if (status.progress) {
    const { phase, done, total } = status.progress;
    lines.push(phase === 'upload' ? t('syncUploading', count(done), count(total ?? done)) : t('syncDownloading', count(done)));
  } else if (status.lastError) {
    lines.push(errorLine(status));
    const next = nextTry(status, now);
    if (next) lines.push(next);
  } else if (status.lastSyncedAt) {
    lines.push(t('syncSyncedAt', time(status.lastSyncedAt)));
  } else {
    lines.push(t('syncNotYet'));
  }
  const held = status.held ?? 0;
  const waiting = status.waiting - status.refused - held;
  if (waiting > 0 && !(status.lastError && status.lastError.code === 'unreachable')) {
    lines.push(plural(waiting, 'syncWaitingOne', 'syncWaitingOther'));
  }
  if (status.conflicts > 0) lines.push(plural(status.conflicts, 'syncConflictsOne', 'syncConflictsOther'));
  // A change in conflict is not sent by itself: say it waits for the user, not for the server.
  if (held > 0) lines.push(plural(held, 'syncHeldOne', 'syncHeldOther'));
  if (status.refused > 0) lines.push(plural(status.refused, 'syncRefusedOne', 'syncRefusedOther'));
  if (status.damaged > 0) lines.push(plural(status.damaged, 'syncDamagedOne', 'syncDamagedOther'));
  for (const finding of status.manifest ?? []) lines.push(findingLine(finding, names));
  return lines;
}

/** Safe and environment names by id, as this device opens them (the status itself carries ids only). */
export type SafeNames = Map<string, { name: string; environments: Map<string, string> }>;

const FINDING_WORDS = {
  withheld: ['syncWithheldOne', 'syncWithheldOther'],
  stale: ['syncStaleOne', 'syncStaleOther'],
  resurrected: ['syncResurrectedOne', 'syncResurrectedOther'],
} as const;

/** "The server is withholding 3 secrets of Payments › Production": what a safe's manifest found (never repaired). */
function findingLine(finding: ManifestFinding, names: SafeNames): string {
  const safe = names.get(finding.safeId);
  const env = safe?.environments.get(finding.envId);
  // An environment the server withholds has no name here: the safe's alone.
  const where = safe && env ? t('syncSafeEnv', safe.name, env) : (safe?.name ?? '');
  if (finding.kind === 'environment') return plural(finding.count, 'syncEnvironmentsHeldOne', 'syncEnvironmentsHeldOther', where);
  const [one, other] = FINDING_WORDS[finding.finding];
  return plural(finding.count, one, other, where);
}

/** "next try in 12 s" while a failure's backoff runs (the background tries then, or at once when the server's live connection is back). */
function nextTry(status: SyncStatus, now: number): string | undefined {
  if (!status.retryAt || status.retryAt <= now) return undefined;
  const seconds = Math.ceil((status.retryAt - now) / 1000);
  return seconds < 90 ? t('syncNextTrySeconds', count(seconds)) : t('syncNextTryMinutes', count(Math.round(seconds / 60)));
}

function errorLine(status: SyncStatus): string {
  const error = status.lastError!;
  const waiting = status.waiting - status.refused - (status.held ?? 0);
  switch (error.code) {
    case 'unreachable':
    case 'timeout':
      return waiting > 0 ? plural(waiting, 'syncUnreachableWaitingOne', 'syncUnreachableWaitingOther') : t('syncUnreachable');
    case 'rate_limited':
      return t('syncRateLimited');
    case 'server_error':
      return t('syncServerError');
    case 'quota_exceeded':
      return t('syncQuotaExceeded');
    case 'bad_answer':
      return t('syncServerBadAnswer');
    case 'auth_failed':
      return t('syncAuthFailed');
    case 'server_refused':
      // Fixed words and the HTTP status only: the server's own text never reaches Keysmith's pages.
      return t('syncServerRefused', String(error.status ?? ''));
    case 'server_replayed':
      return t('syncServerReplayed');
    default:
      // A failure of this device's own (a VaultError): its message is Keysmith's.
      return error.message;
  }
}
