import { useState, type FormEvent } from 'react';
import { call } from '../../adapters/messenger';
import { KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS } from '../../lib/vault/account-keys';
import { Field } from '../ui/Field';
import { useLockAware } from './lock-context';
import { placeError, type FormErrors } from '../ui/place-error';

const fmt = (n: number) => n.toLocaleString('en');

/** PBKDF2 iterations: re-wrapping the vault key under the new count needs the master password. */
export function IterationsForm({ current, onApplied }: { current: number; onApplied: () => void }) {
  const lockAware = useLockAware();
  const [iterations, setIterations] = useState(String(current));
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    const count = Number(iterations.replace(/[,_\s]/g, ''));
    if (!Number.isInteger(count) || count < KDF_MIN_ITERATIONS || count > KDF_MAX_ITERATIONS) {
      return setErrors({ iterations: `Use a whole number from ${fmt(KDF_MIN_ITERATIONS)} to ${fmt(KDF_MAX_ITERATIONS)}` });
    }
    if (!password) return setErrors({ password: 'Enter your master password to apply the change' });
    setErrors({});
    setBusy(true);
    try {
      await lockAware(call('vault.setIterations', { masterPassword: password, iterations: count }));
      setPassword('');
      setDone(`KDF iterations set to ${fmt(count)}`);
      onApplied();
    } catch (err) {
      setErrors(placeError(err, { fields: { iterations: 'iterations', masterPassword: 'password', current: 'password' }, codes: { wrong_password: 'password', throttled: 'password' } }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} aria-label="KDF iterations" aria-busy={busy}>
      <h3>Key derivation</h3>
      <Field
        label="PBKDF2 iterations"
        error={errors.iterations}
        hint={`Now ${fmt(current)}. More iterations make a stolen vault slower to guess and unlocking slower (${fmt(KDF_MIN_ITERATIONS)}–${fmt(KDF_MAX_ITERATIONS)}).`}
      >
        {(props) => (
          <input {...props} type="number" inputMode="numeric" min={KDF_MIN_ITERATIONS} max={KDF_MAX_ITERATIONS} step={1000} value={iterations} onChange={(e) => setIterations(e.target.value)} />
        )}
      </Field>
      <Field label="Master password" error={errors.password}>
        {(props) => <input {...props} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <button type="submit" disabled={busy}>Apply iterations</button>
      {busy && <p role="status">Deriving keys…</p>}
      {done && <p role="status" className="saved">{done}</p>}
    </form>
  );
}
