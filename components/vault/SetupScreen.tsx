import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { useSubmit } from '../ui/use-submit';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from './password-strength';
import { render, t } from '../ui/i18n';

/** First run: choose the master password, typed twice. */
export function SetupScreen({ onDone }: { onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const strength = passwordStrength(password);
  const { busy, errors, handleSubmit } = useSubmit();

  const submit = handleSubmit(async () => {
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) return { password: t('tooShort', MIN_MASTER_PASSWORD_LENGTH) };
    if (password !== confirm) return { confirm: t('passwordsDiffer') };
    await call('vault.setup', { masterPassword: password, safeName: t('defaultSafeName') });
    onDone();
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('createVaultForm')} aria-busy={busy}>
      <p>{t('setupIntro')}</p>
      <Field
        label={t('masterPassword')}
        error={errors.password}
        hint={strength.label && <span className={`strength s${strength.score}`}>{render(strength.label)}</span>}
      >
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="new-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('confirmMasterPassword')} error={errors.confirm}>
        {(props) => (
          <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        )}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('createVault')}
      </button>
      {busy && <p role="status">{t('derivingKeys')}</p>}
    </form>
  );
}
