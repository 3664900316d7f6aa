import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from '../vault/password-strength';
import { useLockAware } from './lock-context';
import type { FormErrors } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { render, t } from '../ui/i18n';

/** Re-wraps the vault key under a new master password; the old one stops working. */
export function ChangePasswordForm() {
  const lockAware = useLockAware();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const strength = passwordStrength(next);
  const { busy, errors, handleSubmit } = useSubmit({
    fields: { current: 'current', next: 'next' },
    codes: { wrong_password: 'current', throttled: 'current' },
  });

  const submit = handleSubmit(async () => {
    setDone(false);
    const found: FormErrors = {};
    if (!current) found.current = t('enterCurrentMaster');
    if (next.length < MIN_MASTER_PASSWORD_LENGTH) found.next = t('tooShort', MIN_MASTER_PASSWORD_LENGTH);
    else if (next === current) found.next = t('sameNewPassword');
    if (!found.next && next !== confirm) found.confirm = t('passwordsDiffer');
    if (Object.keys(found).length > 0) return found;
    await lockAware(call('vault.changeMasterPassword', { current, next }));
    setCurrent('');
    setNext('');
    setConfirm('');
    setDone(true);
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('changeMasterTitle')} aria-busy={busy}>
      <h3>{t('changeMasterTitle')}</h3>
      <Field label={t('currentMasterPassword')} error={errors.current}>
        {(props) => (
          <input {...props} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        )}
      </Field>
      <Field
        label={t('newMasterPassword')}
        error={errors.next}
        hint={strength.label && <span className={`strength s${strength.score}`}>{render(strength.label)}</span>}
      >
        {(props) => <input {...props} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
      </Field>
      <Field label={t('confirmNewMaster')} error={errors.confirm}>
        {(props) => (
          <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        )}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" disabled={busy}>
        {t('changeMasterTitle')}
      </button>
      {busy && <p role="status">{t('derivingNewKeys')}</p>}
      {done && (
        <p role="status" className="saved">
          {t('masterChanged')}
        </p>
      )}
    </form>
  );
}
