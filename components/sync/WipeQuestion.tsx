import { useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SyncStatus } from '../../lib/sync/engine';
import { errorMessage } from '../ui/field-errors';
import { plural, t, uiLanguage } from '../ui/i18n';

/**
 * A full resync said records this device holds were deleted: nothing is removed until the user
 * answers here (a server can send an empty snapshot). Shown in the popup and in Settings.
 */
export function WipeQuestion({ wipe }: { wipe: NonNullable<SyncStatus['wipe']> }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const count = (n: number) => n.toLocaleString(uiLanguage());
  async function answer(keep: boolean) {
    setBusy(true);
    try {
      await call('sync.wipe', { keep });
      setMessage('');
    } catch (error) {
      setMessage(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="wipe-question" role="alert" aria-label={t('syncWipeAsk')}>
      <p>
        {plural(wipe.secrets, 'syncWipeSecretsOne', 'syncWipeSecretsOther')}
        {(wipe.environments > 0 || wipe.safes > 0) && <> {t('syncWipeSafesAndEnvs', count(wipe.environments), count(wipe.safes))}</>}{' '}
        {t('syncWipeAsk')}
      </p>
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void answer(true)}>
          {t('syncWipeKeep')}
        </button>
        <button type="button" disabled={busy} onClick={() => void answer(false)}>
          {t('syncWipeRemove')}
        </button>
      </div>
      {message && <p role="alert">{message}</p>}
    </div>
  );
}
