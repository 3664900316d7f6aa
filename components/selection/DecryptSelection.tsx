import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import { RemoteError } from '../../lib/messages/reply';
import type { SelectionView } from '../../lib/selection/types';
import { copySecret } from '../ui/copy-secret';
import { errorMessage } from '../ui/field-errors';
import { Field, FormError } from '../ui/Field';
import { t } from '../ui/i18n';
import { useSubmit } from '../ui/use-submit';
import { outcomeText } from './outcome-text';

/**
 * Opens the ciphertext in the selection with the vault's keys (or a password it asks for) and shows
 * the plaintext here. Nothing is written to the page unless the user asks with "Replace in page".
 */
export function DecryptSelection({ jobId, view }: { jobId: string; view: SelectionView }) {
  const [plaintext, setPlaintext] = useState<string>();
  const [needsPassword, setNeedsPassword] = useState(false);
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState('');
  const { busy, errors, handleSubmit } = useSubmit({ fields: { password: 'password' }, fallback: 'form' });

  useEffect(() => {
    call('selection.decrypt', { jobId }).then(
      (r) => setPlaintext(r.plaintext),
      (error) => {
        if (error instanceof RemoteError && error.field === 'password') setNeedsPassword(true);
        else setMessage(errorMessage(error));
      },
    );
  }, [jobId]);

  const submit = handleSubmit(async () => {
    if (!password) return { password: t('needPassword') };
    setPlaintext((await call('selection.decrypt', { jobId, password })).plaintext);
  });

  if (plaintext !== undefined) {
    return (
      <section aria-label={t('selectionDecryptTitle')}>
        <h2>{t('selectionDecryptTitle')}</h2>
        <Field label={t('plaintextLabel')}>{(props) => <textarea {...props} className="mono" rows={6} readOnly value={plaintext} />}</Field>
        <div className="row">
          <button type="button" onClick={() => copySecret({ text: plaintext }).then(setMessage, (e) => setMessage(errorMessage(e)))}>
            {t('copy')}
          </button>
          {view.editable && (
            <button
              type="button"
              onClick={() =>
                call('selection.replace', { jobId }).then(
                  (o) => setMessage(outcomeText(o)),
                  (e) => setMessage(errorMessage(e)),
                )
              }
            >
              {t('replaceInPage')}
            </button>
          )}
        </div>
        <p role="status">{message}</p>
      </section>
    );
  }
  if (needsPassword) {
    return (
      <form noValidate onSubmit={submit} aria-label={t('selectionDecryptTitle')} aria-busy={busy}>
        <h2>{t('selectionDecryptTitle')}</h2>
        <Field label={t('passwordLabel')} error={errors.password} hint={t('errNeedsPassword')}>
          {(props) => (
            <input {...props} type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <FormError message={errors.form} />
        <button type="submit" className="primary" disabled={busy}>
          {t('decrypt')}
        </button>
      </form>
    );
  }
  return message ? (
    <p role="alert" className="field-error">
      {message}
    </p>
  ) : (
    <p role="status">{t('loading')}</p>
  );
}
