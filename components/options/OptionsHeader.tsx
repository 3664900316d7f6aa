import { useState } from 'react';
import { FormError } from '../ui/Field';
import { call } from '../../adapters/messenger';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';

/** Page title, and a Lock button while the vault is unlocked. */
export function OptionsHeader({ unlocked, onLocked }: { unlocked: boolean; onLocked: () => void }) {
  const [error, setError] = useState<string>();

  async function lock() {
    setError(undefined);
    try {
      await call('vault.lock');
      onLocked();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <header className="options">
      <h1>{t('optionsTitle')}</h1>
      {unlocked && (
        <button type="button" onClick={lock}>
          {t('lock')}
        </button>
      )}
      <FormError message={error} />
    </header>
  );
}
