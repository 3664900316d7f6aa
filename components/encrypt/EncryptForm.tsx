import { useState } from 'react';
import { encrypt, type EncryptResponse } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { Field, FormError } from '../ui/Field';
import { SecretInput, type SecretMode } from './SecretInput';

export function EncryptForm() {
  const [plaintext, setPlaintext] = useState('');
  const [mode, setMode] = useState<SecretMode>('key');
  const [secret, setSecret] = useState('');
  const [result, setResult] = useState<EncryptResponse | null>(null);
  const { busy, errors, setErrors, handleSubmit } = useSubmit({ fields: { ...sameNames('plaintext'), key: 'secret', password: 'secret' } });

  const submit = handleSubmit(async () => {
    setResult(null);
    setResult(await encrypt({ plaintext, [mode]: secret }));
  });

  const json = result ? JSON.stringify(result, null, 2) : '';
  return (
    <form noValidate onSubmit={submit} aria-label="Encrypt" aria-busy={busy}>
      <Field label="Plaintext" error={errors.plaintext}>
        {(props) => <textarea {...props} spellCheck={false} rows={3} value={plaintext} onChange={(e) => setPlaintext(e.target.value)} />}
      </Field>
      <SecretInput legend="Encrypt with" mode={mode} onModeChange={(m) => { setMode(m); setSecret(''); setErrors({}); }} value={secret} onChange={setSecret} error={errors.secret} canGenerate />
      <FormError message={errors.form} />
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
