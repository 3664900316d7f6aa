import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { useLockAware } from '../options/lock-context';
import { Field, FormError } from '../ui/Field';
import { sameNames } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { useSubmit } from '../ui/use-submit';

/**
 * Deletes the account on the server: says what goes (the account, every safe and secret stored
 * there, for every device), asks for a tick naming it and for the master password, which the
 * server checks again. This device's vault stays.
 */
export function DeleteAccountForm({
  email,
  serverUrl,
  onCancel,
  onDone,
}: {
  email: string;
  serverUrl: string;
  onCancel: () => void;
  onDone: () => Promise<void>;
}) {
  const lockAware = useLockAware();
  const [confirmed, setConfirmed] = useState(false);
  const [masterPassword, setMasterPassword] = useState('');
  const { busy, errors, handleSubmit } = useSubmit({
    fields: sameNames('masterPassword', 'confirm'),
    codes: { wrong_password: 'masterPassword', throttled: 'masterPassword' },
  });
  const submit = handleSubmit(async () => {
    if (!confirmed) return { confirm: t('syncDeleteAccountTick') };
    if (!masterPassword) return { masterPassword: t('errEnterMasterPassword') };
    await lockAware(call('sync.deleteAccount', { masterPassword }));
    setMasterPassword('');
    await onDone();
  });
  return (
    <form noValidate onSubmit={submit} aria-label={t('syncDeleteAccount')} aria-busy={busy}>
      <p className="warning">{t('syncDeleteAccountIntro', email, serverUrl)}</p>
      <label>
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />{' '}
        {t('syncDeleteAccountConfirm', email)}
      </label>
      {errors.confirm && <p role="alert">{errors.confirm}</p>}
      <Field label={t('currentMasterPassword')} error={errors.masterPassword}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            value={masterPassword}
            onChange={(e) => setMasterPassword(e.target.value)}
          />
        )}
      </Field>
      <FormError message={errors.form} />
      <div className="row">
        <button type="submit" className="danger" disabled={busy}>
          {t('syncDeleteAccount')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
