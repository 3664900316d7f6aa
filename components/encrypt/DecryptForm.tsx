import { useState } from 'react';
import { decrypt } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { Field, FormError } from '../ui/Field';
import { SecretInput, type SecretMode } from './SecretInput';
import { t } from '../ui/i18n';
import type { MessageKey } from '../../lib/i18n';

const PARTS = ['ciphertext', 'iv', 'tag', 'salt', 'iterations'] as const;
type Parts = Record<(typeof PARTS)[number], string>;
const EMPTY: Parts = { ciphertext: '', iv: '', tag: '', salt: '', iterations: '' };
const PART_LABELS: Record<(typeof PARTS)[number], MessageKey> = {
  ciphertext: 'fieldCiphertext',
  iv: 'fieldIv',
  tag: 'fieldTag',
  salt: 'fieldSalt',
  iterations: 'fieldIterations',
};

/** Takes the Toolkit JSON whole, or its fields one by one; pasting JSON fills the fields. */
export function DecryptForm() {
  const [json, setJson] = useState('');
  const [parts, setParts] = useState<Parts>(EMPTY);
  const [mode, setMode] = useState<SecretMode>('key');
  const [secret, setSecret] = useState('');
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const { busy, errors, setErrors, handleSubmit } = useSubmit({ fields: { ...sameNames(...PARTS), key: 'secret', password: 'secret' } });

  function takeJson(text: string) {
    setJson(text);
    setErrors({});
    if (!text.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      setErrors({ json: t('notJson') });
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setErrors({ json: t('notToolkitObject') });
      return;
    }
    const fields = parsed as Record<string, unknown>;
    const next = { ...EMPTY };
    for (const name of PARTS) if (fields[name] !== undefined && fields[name] !== null) next[name] = String(fields[name]);
    setParts(next);
    const nextMode = next.salt ? 'password' : 'key';
    if (nextMode !== mode) setSecret('');
    setMode(nextMode);
  }

  const submit = handleSubmit(async () => {
    setPlaintext(null);
    const iterations = parts.iterations.trim() === '' ? undefined : Number(parts.iterations);
    const result = await decrypt({
      ciphertext: parts.ciphertext,
      iv: parts.iv,
      tag: parts.tag,
      [mode]: secret,
      ...(mode === 'password' ? { salt: parts.salt, iterations } : {}),
    });
    setPlaintext(result.plaintext);
  });

  const shown = PARTS.filter((name) => mode === 'password' || (name !== 'salt' && name !== 'iterations'));
  return (
    <form noValidate onSubmit={submit} aria-label={t('decrypt')} aria-busy={busy}>
      <Field label={t('toolkitJson')} error={errors.json} hint={t('toolkitJsonHint')}>
        {(props) => (
          <textarea {...props} spellCheck={false} rows={4} className="mono" value={json} onChange={(e) => takeJson(e.target.value)} />
        )}
      </Field>
      {shown.map((name) => (
        <Field key={name} label={t(PART_LABELS[name])} error={errors[name]}>
          {(props) => (
            <input
              {...props}
              className="mono"
              value={parts[name]}
              onChange={(e) => setParts({ ...parts, [name]: e.target.value.trim() })}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
      ))}
      <SecretInput
        legend={t('decryptWith')}
        mode={mode}
        onModeChange={(m) => {
          setMode(m);
          setSecret('');
          setErrors({});
        }}
        value={secret}
        onChange={setSecret}
        error={errors.secret}
      />
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('decrypt')}
      </button>
      {busy && <p role="status">{t('decrypting')}</p>}
      {plaintext !== null && (
        <div className="result">
          <Field label={t('decryptedText')}>{(props) => <textarea {...props} readOnly rows={3} value={plaintext} />}</Field>
          <CopyButton text={plaintext} what={t('decryptedTextWhat')} />
        </div>
      )}
    </form>
  );
}
