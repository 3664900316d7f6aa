import { useState } from 'react';
import { encrypt, type EncryptResponse } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { Field, FormError } from '../ui/Field';
import { SecretInput, type SecretMode } from './SecretInput';
import { t } from '../ui/i18n';

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
    <form noValidate onSubmit={submit} aria-label={t('encrypt')} aria-busy={busy}>
      <Field label={t('plaintextLabel')} error={errors.plaintext}>
        {(props) => <textarea {...props} spellCheck={false} rows={3} value={plaintext} onChange={(e) => setPlaintext(e.target.value)} />}
      </Field>
      <SecretInput
        legend={t('encryptWith')}
        mode={mode}
        onModeChange={(m) => {
          setMode(m);
          setSecret('');
          setErrors({});
        }}
        value={secret}
        onChange={setSecret}
        error={errors.secret}
        canGenerate
      />
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('encrypt')}
      </button>
      {busy && <p role="status">{t('derivingFromPassword')}</p>}
      {result && (
        <div className="result">
          <Field label={t('encryptedJson')}>{(props) => <textarea {...props} readOnly rows={7} value={json} className="mono" />}</Field>
          <CopyButton text={json} what={t('encryptedJsonWhat')} />
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
