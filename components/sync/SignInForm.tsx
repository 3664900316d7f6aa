import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { FormError } from '../ui/Field';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { t } from '../ui/i18n';
import { useProgress } from './useProgress';
import { AccountFields, DEFAULT_SERVER_URL, type AccountInput } from './AccountFields';

/**
 * First run on a second device: the account's server, e-mail and master password. The vault key
 * comes from the server wrapped, opens with the master password, and everything is pulled.
 */
export function SignInForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [input, setInput] = useState<AccountInput>({ serverUrl: DEFAULT_SERVER_URL, email: '', masterPassword: '' });
  const { busy, errors, handleSubmit } = useSubmit({
    fields: sameNames('serverUrl', 'email', 'masterPassword'),
    codes: { wrong_password: 'masterPassword', kdf_below_floor: 'form', unreachable: 'serverUrl' },
  });

  const progress = useProgress(busy);

  const submit = handleSubmit(async () => {
    if (!input.masterPassword) return { masterPassword: t('errEnterMasterPassword') };
    await call('sync.signIn', { ...input, safeName: t('defaultSafeName') });
    onDone();
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('syncSignInForm')} aria-busy={busy}>
      <p>{t('syncSignInIntro')}</p>
      <AccountFields value={input} onChange={setInput} errors={errors} passwordLabel={t('masterPassword')} />
      <FormError message={errors.form} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t('syncSignIn')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
      {busy && <p role="status">{progress || t('syncSigningIn')}</p>}
    </form>
  );
}
