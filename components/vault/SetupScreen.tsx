import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { useSubmit } from '../ui/use-submit';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from './password-strength';

/** First run: choose the master password, typed twice. */
export function SetupScreen({ onDone }: { onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const strength = passwordStrength(password);
  const { busy, errors, handleSubmit } = useSubmit();

  const submit = handleSubmit(async () => {
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) return { password: `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters` };
    if (password !== confirm) return { confirm: 'The two passwords differ' };
    await call('vault.setup', { masterPassword: password });
    onDone();
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Create your vault" aria-busy={busy}>
      <p>
        Choose a master password. It encrypts everything in Keysmith and is never stored or sent anywhere:
        if you forget it, your secrets cannot be recovered.
      </p>
      <Field label="Master password" error={errors.password} hint={strength.label && <span className={`strength s${strength.score}`}>{strength.label}</span>}>
        {(props) => <input {...props} type="password" autoComplete="new-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <Field label="Confirm master password" error={errors.confirm}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>Create vault</button>
      {busy && <p role="status">Deriving keys from your master password…</p>}
    </form>
  );
}
