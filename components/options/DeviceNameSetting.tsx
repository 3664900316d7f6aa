import { useState } from 'react';
import { call } from '../../adapters/messenger';
import type { VaultSettings } from '../../lib/vault/types';
import { FormError } from '../ui/Field';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { useLockAware } from './lock-context';

/** The name each version of a secret written here carries (its history); empty goes back to the default. */
export function DeviceNameSetting({ value, onSaved }: { value: string; onSaved: (s: VaultSettings) => void }) {
  const lockAware = useLockAware();
  const [name, setName] = useState(value);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      aria-label={t('deviceNameLabel')}
      onSubmit={async (e) => {
        e.preventDefault();
        setError('');
        setMessage('');
        try {
          const saved = await lockAware(call('vault.updateSettings', { deviceName: name }));
          setName(saved.deviceName);
          setMessage(t('deviceNameSaved', saved.deviceName));
          onSaved(saved);
        } catch (err) {
          setError(errorMessage(err));
        }
      }}
    >
      <label>
        {t('deviceNameLabel')}
        <input type="text" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit">{t('deviceNameSave')}</button>
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
    </form>
  );
}
