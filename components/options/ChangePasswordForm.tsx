import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from '../vault/password-strength';
import { useLockAware } from './lock-context';
import type { FormErrors } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';

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
    if (!current) found.current = 'Enter your current master password';
    if (next.length < MIN_MASTER_PASSWORD_LENGTH) found.next = `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters`;
    else if (next === current) found.next = 'The new password is the same as the current one';
    if (!found.next && next !== confirm) found.confirm = 'The two passwords differ';
    if (Object.keys(found).length > 0) return found;
    await lockAware(call('vault.changeMasterPassword', { current, next }));
    setCurrent('');
    setNext('');
    setConfirm('');
    setDone(true);
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Change master password" aria-busy={busy}>
      <h3>Change master password</h3>
      <Field label="Current master password" error={errors.current}>
        {(props) => <input {...props} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />}
      </Field>
      <Field label="New master password" error={errors.next} hint={strength.label && <span className={`strength s${strength.score}`}>{strength.label}</span>}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
      </Field>
      <Field label="Confirm new master password" error={errors.confirm}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" disabled={busy}>Change master password</button>
      {busy && <p role="status">Deriving keys from the new password…</p>}
      {done && <p role="status" className="saved">Master password changed. Use the new one from now on.</p>}
    </form>
  );
}
