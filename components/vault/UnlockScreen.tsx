import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import { RemoteError } from '../../lib/messages/reply';
import { Field } from '../ui/Field';
import { useSubmit } from '../ui/use-submit';
import { t } from '../ui/i18n';

export function UnlockScreen({ onDone }: { onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const { busy, errors, handleSubmit } = useSubmit({ fallback: 'password' }, (err) => {
    setPassword('');
    if (err instanceof RemoteError && err.retryAfterMs) {
      setWaitUntil(Date.now() + err.retryAfterMs);
      setNow(Date.now());
    }
  });
  const waitSeconds = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const submit = handleSubmit(async () => {
    await call('vault.unlock', { masterPassword: password });
    onDone();
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('unlockForm')} aria-busy={busy}>
      <Field label={t('masterPassword')} error={errors.password}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="primary" disabled={busy || waitSeconds > 0 || !password}>
        {t('unlock')}
      </button>
      {waitSeconds > 0 && <p role="status">{t('tooManyWrong', waitSeconds)}</p>}
      {busy && <p role="status">{t('unlocking')}</p>}
    </form>
  );
}
