import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { FirstRunScreen } from '../sync/FirstRunScreen';
import { UnlockScreen } from '../vault/UnlockScreen';
import { useVaultStatus } from '../vault/useVaultStatus';
import { LockContext } from './lock-context';
import { OptionsHeader } from './OptionsHeader';
import { SettingsSections } from './SettingsSections';
import { t } from '../ui/i18n';

/** Routes on the vault's state: set up, unlock, or the settings. */
export function OptionsApp() {
  const { status, refresh } = useVaultStatus();
  // Set after a restore, so the unlock screen can say which master password to use.
  const [restored, setRestored] = useState(false);

  // Coming back to the tab: the vault may have locked (idle timeout, popup) meanwhile.
  // No polling: every request counts as activity and would keep the vault from auto-locking.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  const onLocked = useCallback(() => void refresh(), [refresh]);
  const onRestored = useCallback(() => {
    setRestored(true);
    void refresh();
  }, [refresh]);
  const onUnlocked = useCallback(() => {
    setRestored(false);
    void refresh();
  }, [refresh]);

  let body: ReactNode;
  if (!status) body = <p role="status">{t('loading')}</p>;
  else if (!status.initialised) body = <FirstRunScreen onDone={onUnlocked} />;
  else if (!status.unlocked) {
    body = (
      <>
        {restored && (
          <p className="note" role="status">
            {t('backupRestoredNote')}
          </p>
        )}
        <UnlockScreen onDone={onUnlocked} />
      </>
    );
  } else {
    body = (
      <LockContext.Provider value={{ onLocked }}>
        <SettingsSections onRestored={onRestored} />
      </LockContext.Provider>
    );
  }

  return (
    <main>
      <OptionsHeader unlocked={status?.unlocked === true} onLocked={onLocked} />
      {body}
    </main>
  );
}
