import { useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SelectionView } from '../../lib/selection/types';
import { Field, FormError } from '../ui/Field';
import { t } from '../ui/i18n';
import { useSubmit } from '../ui/use-submit';
import { outcomeText } from './outcome-text';

const PASSWORD = '';

/** Encrypt the selection with one of the vault's encryption keys, or a password. */
export function EncryptSelection({ jobId, view }: { jobId: string; view: SelectionView }) {
  const [keyId, setKeyId] = useState(view.keys[0]?.id ?? PASSWORD);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState('');
  const { busy, errors, handleSubmit } = useSubmit({ fields: { password: 'password', key: 'password', keyId: 'form' }, fallback: 'form' });

  const submit = handleSubmit(async () => {
    if (keyId === PASSWORD && !password) return { password: t('needPassword') };
    const outcome = await call('selection.encrypt', keyId === PASSWORD ? { jobId, password } : { jobId, keyId });
    setDone(outcomeText(outcome));
  });

  if (done) return <p role="status">{done}</p>;
  return (
    <form noValidate onSubmit={submit} aria-label={t('selectionEncryptTitle')} aria-busy={busy}>
      <h2>{t('selectionEncryptTitle')}</h2>
      <Field label={t('selectedTextLabel')} hint={view.length > view.preview.length ? t('selectedTextMore', view.length) : undefined}>
        {(props) => <textarea {...props} className="mono" rows={3} readOnly value={view.preview} />}
      </Field>
      <fieldset>
        <legend>{t('selectionEncryptWith')}</legend>
        {view.keys.map((k) => (
          <label key={k.id} className="check">
            <input type="radio" name="key" checked={keyId === k.id} onChange={() => setKeyId(k.id)} />
            <span className="mono">{k.key}</span>{' '}
            <span className="muted">
              {k.safeName} · {k.envName}
            </span>
          </label>
        ))}
        <label className="check">
          <input type="radio" name="key" checked={keyId === PASSWORD} onChange={() => setKeyId(PASSWORD)} />
          {t('selectionWithPassword')}
        </label>
        {view.keys.length === 0 && <p className="field-hint">{t('selectionNoKeysHint')}</p>}
      </fieldset>
      {keyId === PASSWORD && (
        <Field label={t('passwordLabel')} error={errors.password}>
          {(props) => (
            <input {...props} type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
      )}
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('encrypt')}
      </button>
    </form>
  );
}
