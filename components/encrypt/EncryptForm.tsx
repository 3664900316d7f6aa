import { useState, type FormEvent } from 'react';
import { encrypt, type EncryptResponse } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { toFieldErrors, type FieldErrors } from '../ui/errors';
import { Field } from '../ui/Field';
import { SecretInput, type SecretMode } from './SecretInput';

export function EncryptForm() {
  const [plaintext, setPlaintext] = useState('');
  const [mode, setMode] = useState<SecretMode>('key');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<EncryptResponse | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setResult(null);
    setBusy(true);
    try {
      setResult(await encrypt({ plaintext, [mode]: secret }));
    } catch (error) {
      setErrors(toFieldErrors(error, { key: 'secret', password: 'secret' }));
    } finally {
      setBusy(false);
    }
  }

  const json = result ? JSON.stringify(result, null, 2) : '';
  return (
    <form noValidate onSubmit={submit} aria-label="Encrypt" aria-busy={busy}>
      <Field label="Plaintext" error={errors.plaintext}>
        {(props) => <textarea {...props} spellCheck={false} rows={3} value={plaintext} onChange={(e) => setPlaintext(e.target.value)} />}
      </Field>
      <SecretInput legend="Encrypt with" mode={mode} onModeChange={(m) => { setMode(m); setSecret(''); setErrors({}); }} value={secret} onChange={setSecret} error={errors.secret} canGenerate />
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <button type="submit" className="primary" disabled={busy}>Encrypt</button>
      {busy && <p role="status">Deriving the key from the password…</p>}
      {result && (
        <div className="result">
          <Field label="Encrypted (Toolkit JSON)">
            {(props) => <textarea {...props} readOnly rows={7} value={json} className="mono" />}
          </Field>
          <CopyButton text={json} what="encrypted JSON" />
          <dl className="fields">
            {(['ciphertext', 'iv', 'tag', 'salt'] as const).map((name) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd className="mono">{result[name] ?? '—'}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </form>
  );
}
