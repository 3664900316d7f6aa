import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../../adapters/messenger';
import { RemoteError } from '../../lib/messages/reply';
import { errorMessage } from '../ui/errors';
import { Field } from '../ui/Field';

export function UnlockScreen({ onDone }: { onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const waitSeconds = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [waitUntil]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await call('vault.unlock', { masterPassword: password });
      onDone();
    } catch (err) {
      setPassword('');
      setError(errorMessage(err));
      if (err instanceof RemoteError && err.retryAfterMs) {
        setWaitUntil(Date.now() + err.retryAfterMs);
        setNow(Date.now());
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} aria-label="Unlock Keysmith" aria-busy={busy}>
      <Field label="Master password" error={error}>
        {(props) => <input {...props} type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <button type="submit" className="primary" disabled={busy || waitSeconds > 0 || !password}>
        Unlock
      </button>
      {waitSeconds > 0 && <p role="status">Too many wrong passwords: try again in {waitSeconds} s</p>}
      {busy && <p role="status">Unlocking…</p>}
    </form>
  );
}
