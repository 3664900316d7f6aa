import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { DEFAULT_KDF, KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS, type KdfChoice } from '../../lib/vault/kdf-params';
import { Field, FormError } from '../ui/Field';
import { useLockAware } from './lock-context';
import { useSubmit } from '../ui/use-submit';

const fmt = (n: number) => n.toLocaleString('en');

export function describeKdf(kdf: KdfChoice): string {
  return kdf.name === 'Argon2id'
    ? `Argon2id, ${fmt(kdf.memoryKiB / 1024)} MiB, ${kdf.passes} passes, ${kdf.parallelism} lanes`
    : `PBKDF2-HMAC-SHA256, ${fmt(kdf.iterations)} iterations`;
}

/** The master password's key derivation: switching re-wraps the vault key, so it needs the master password. */
export function KdfForm({ current, onApplied }: { current: KdfChoice; onApplied: () => void }) {
  const lockAware = useLockAware();
  const [name, setName] = useState<KdfChoice['name']>(current.name);
  const [iterations, setIterations] = useState(String(current.name === 'PBKDF2-HMAC-SHA256' ? current.iterations : KDF_MIN_ITERATIONS));
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string>();
  const { busy, errors, handleSubmit } = useSubmit({
    fields: { iterations: 'iterations', masterPassword: 'password', current: 'password' },
    codes: { wrong_password: 'password', throttled: 'password' },
  });

  const submit = handleSubmit(async () => {
    setDone(undefined);
    let kdf: KdfChoice = DEFAULT_KDF;
    if (name === 'PBKDF2-HMAC-SHA256') {
      const count = Number(iterations.replace(/[,_\s]/g, ''));
      if (!Number.isInteger(count) || count < KDF_MIN_ITERATIONS || count > KDF_MAX_ITERATIONS) {
        return { iterations: `Use a whole number from ${fmt(KDF_MIN_ITERATIONS)} to ${fmt(KDF_MAX_ITERATIONS)}` };
      }
      kdf = { name, iterations: count };
    }
    if (!password) return { password: 'Enter your master password to apply the change' };
    await lockAware(call('vault.setKdf', { masterPassword: password, kdf }));
    setPassword('');
    setDone(`Key derivation set to ${describeKdf(kdf)}`);
    onApplied();
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Key derivation" aria-busy={busy}>
      <h3>Key derivation</h3>
      <Field label="Algorithm" hint={`Now ${describeKdf(current)}. Argon2id also costs an attacker memory, so guessing a stolen vault is far slower.`}>
        {(props) => (
          <select {...props} value={name} onChange={(e) => setName(e.target.value as KdfChoice['name'])}>
            <option value="Argon2id">Argon2id (recommended)</option>
            <option value="PBKDF2-HMAC-SHA256">PBKDF2-HMAC-SHA256</option>
          </select>
        )}
      </Field>
      {name === 'PBKDF2-HMAC-SHA256' && (
        <Field
          label="PBKDF2 iterations"
          error={errors.iterations}
          hint={`More iterations make a stolen vault slower to guess and unlocking slower (${fmt(KDF_MIN_ITERATIONS)}–${fmt(KDF_MAX_ITERATIONS)}).`}
        >
          {(props) => (
            <input {...props} type="number" inputMode="numeric" min={KDF_MIN_ITERATIONS} max={KDF_MAX_ITERATIONS} step={1000} value={iterations} onChange={(e) => setIterations(e.target.value)} />
          )}
        </Field>
      )}
      <Field label="Master password" error={errors.password}>
        {(props) => <input {...props} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" disabled={busy}>Apply key derivation</button>
      {busy && <p role="status">Deriving keys…</p>}
      {done && <p role="status" className="saved">{done}</p>}
    </form>
  );
}
