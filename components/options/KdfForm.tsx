import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { DEFAULT_KDF, KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS, type KdfChoice } from '../../lib/vault/kdf-params';
import { Field, FormError } from '../ui/Field';
import { useLockAware } from './lock-context';
import { useSubmit } from '../ui/use-submit';
import { t, uiLanguage } from '../ui/i18n';

const fmt = (n: number) => n.toLocaleString(uiLanguage());

export function describeKdf(kdf: KdfChoice): string {
  return kdf.name === 'Argon2id'
    ? t('kdfArgon', fmt(kdf.memoryKiB / 1024), kdf.passes, kdf.parallelism)
    : t('kdfPbkdf2', fmt(kdf.iterations));
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
        return { iterations: t('iterationsRange', fmt(KDF_MIN_ITERATIONS), fmt(KDF_MAX_ITERATIONS)) };
      }
      kdf = { name, iterations: count };
    }
    if (!password) return { password: t('enterMasterToApply') };
    await lockAware(call('vault.setKdf', { masterPassword: password, kdf }));
    setPassword('');
    setDone(t('kdfSet', describeKdf(kdf)));
    onApplied();
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('kdfTitle')} aria-busy={busy}>
      <h3>{t('kdfTitle')}</h3>
      <Field label={t('algorithmLabel')} hint={t('kdfHint', describeKdf(current))}>
        {(props) => (
          <select {...props} value={name} onChange={(e) => setName(e.target.value as KdfChoice['name'])}>
            <option value="Argon2id">{t('argonRecommended')}</option>
            <option value="PBKDF2-HMAC-SHA256">PBKDF2-HMAC-SHA256</option>
          </select>
        )}
      </Field>
      {name === 'PBKDF2-HMAC-SHA256' && (
        <Field
          label={t('pbkdf2Iterations')}
          error={errors.iterations}
          hint={t('iterationsHint', fmt(KDF_MIN_ITERATIONS), fmt(KDF_MAX_ITERATIONS))}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={KDF_MIN_ITERATIONS}
              max={KDF_MAX_ITERATIONS}
              step={1000}
              value={iterations}
              onChange={(e) => setIterations(e.target.value)}
            />
          )}
        </Field>
      )}
      <Field label={t('masterPassword')} error={errors.password}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" disabled={busy}>
        {t('applyKdf')}
      </button>
      {busy && <p role="status">{t('derivingKeysShort')}</p>}
      {done && (
        <p role="status" className="saved">
          {done}
        </p>
      )}
    </form>
  );
}
