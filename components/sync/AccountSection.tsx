import { useContext, useState } from 'react';
import type { SyncStatus } from '../../lib/sync/engine';
import { call } from '../../adapters/messenger';
import { Section } from '../options/Section';
import { LockContext, useLockAware } from '../options/lock-context';
import { Field, FormError } from '../ui/Field';
import { errorMessage, sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { t } from '../ui/i18n';
import { AccountFields, DEFAULT_SERVER_URL, type AccountInput } from './AccountFields';
import { ConflictsPanel } from './ConflictsPanel';
import { DeleteAccountForm } from './DeleteAccountForm';
import { syncStatusLines } from './status-text';
import { useSafeNames } from './useSafeNames';
import { WipeQuestion } from './WipeQuestion';
import { useProgress } from './useProgress';
import { useNow } from './useNow';
import { useSyncStatus } from './useSyncStatus';

/** Options → Account & sync: connect this vault to a server, or see how it syncs and sign out. */
export function AccountSection() {
  const { status, setStatus, refresh, syncNow } = useSyncStatus();
  const [deleted, setDeleted] = useState(false);
  const onDeleted = async () => {
    setDeleted(true);
    await refresh();
  };
  return (
    <Section title={t('syncTitle')}>
      {deleted && !status?.linked && <p role="status">{t('syncAccountDeleted')}</p>}
      {!status ? (
        <p role="status">{t('loading')}</p>
      ) : status.linked ? (
        <Linked status={status} syncNow={syncNow} onChange={refresh} onDeleted={onDeleted} />
      ) : (
        <CreateAccountForm onDone={setStatus} />
      )}
    </Section>
  );
}

function CreateAccountForm({ onDone }: { onDone: (status: SyncStatus) => void }) {
  const lockAware = useLockAware();
  const [input, setInput] = useState<AccountInput>({ serverUrl: DEFAULT_SERVER_URL, email: '', masterPassword: '' });
  const { busy, errors, handleSubmit } = useSubmit({
    fields: sameNames('serverUrl', 'email', 'masterPassword'),
    codes: { wrong_password: 'masterPassword', throttled: 'masterPassword', unreachable: 'serverUrl' },
  });
  // The upload can take a while: its counts, as the background reports them.
  const progress = useProgress(busy);

  const submit = handleSubmit(async () => {
    if (!input.masterPassword) return { masterPassword: t('errEnterMasterPassword') };
    onDone(await lockAware(call('sync.createAccount', input)));
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('syncCreateAccountForm')} aria-busy={busy}>
      <p>{t('syncCreateIntro')}</p>
      <AccountFields value={input} onChange={setInput} errors={errors} passwordLabel={t('currentMasterPassword')} />
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('syncCreateAccount')}
      </button>
      {busy && <p role="status">{progress || t('syncConnecting')}</p>}
      <p className="note">{t('syncOtherDeviceNote')}</p>
    </form>
  );
}

function Linked({
  status,
  syncNow,
  onChange,
  onDeleted,
}: {
  status: SyncStatus;
  syncNow: () => Promise<void>;
  onChange: () => Promise<void>;
  onDeleted: () => Promise<void>;
}) {
  const [resolving, setResolving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [message, setMessage] = useState('');
  const now = useNow(status.retryAt);
  const names = useSafeNames(status);
  if (resolving) return <ConflictsPanel status={status} onDone={() => setResolving(false)} />;
  return (
    <>
      <p>{t('syncLinkedTo', status.email ?? '', status.serverUrl ?? '')}</p>
      {status.wipe && <WipeQuestion wipe={status.wipe} />}
      <ul className="sync-status" aria-label={t('syncStatusLabel')}>
        {syncStatusLines(status, now, names).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          onClick={() =>
            void syncNow().then(
              () => setMessage(''),
              (error: unknown) => setMessage(errorMessage(error)),
            )
          }
          disabled={status.progress !== undefined}
        >
          {t('syncNow')}
        </button>
        {status.conflicts > 0 && (
          <button type="button" onClick={() => setResolving(true)}>
            {t('syncResolve')}
          </button>
        )}
        <button type="button" onClick={() => setSigningOut(true)}>
          {t('syncSignOut')}
        </button>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>
          {t('syncDeleteAccount')}
        </button>
      </div>
      {message && <p role="alert">{message}</p>}
      {status.lastError?.code === 'auth_failed' && <NewPasswordForm onDone={onChange} />}
      {deleting && (
        <DeleteAccountForm
          email={status.email ?? ''}
          serverUrl={status.serverUrl ?? ''}
          onCancel={() => setDeleting(false)}
          onDone={onDeleted}
        />
      )}
      {signingOut && <SignOutForm waiting={status.waiting} onCancel={() => setSigningOut(false)} onDone={onChange} />}
    </>
  );
}

/** The master password was changed on another device: this one takes the new one (and signs in with it). */
function NewPasswordForm({ onDone }: { onDone: () => Promise<void> }) {
  const lockAware = useLockAware();
  const [masterPassword, setMasterPassword] = useState('');
  const { busy, errors, handleSubmit } = useSubmit({
    fields: sameNames('masterPassword'),
    codes: { wrong_password: 'masterPassword', throttled: 'masterPassword' },
  });
  const submit = handleSubmit(async () => {
    if (!masterPassword) return { masterPassword: t('errEnterMasterPassword') };
    await lockAware(call('sync.adoptPassword', { masterPassword }));
    setMasterPassword('');
    await onDone();
  });
  return (
    <form noValidate onSubmit={submit} aria-label={t('syncUseNewPassword')} aria-busy={busy}>
      <p>{t('syncNewPasswordIntro')}</p>
      <Field label={t('newMasterPassword')} error={errors.masterPassword}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            value={masterPassword}
            onChange={(e) => setMasterPassword(e.target.value)}
          />
        )}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('syncUseNewPassword')}
      </button>
    </form>
  );
}

/** Sign out, keeping this device's secrets (default) or erasing them; erasing asks for the master password. */
function SignOutForm({ waiting, onCancel, onDone }: { waiting: number; onCancel: () => void; onDone: () => Promise<void> }) {
  const lockAware = useLockAware();
  const { onLocked } = useContext(LockContext);
  const [removeLocal, setRemoveLocal] = useState(false);
  const [masterPassword, setMasterPassword] = useState('');
  const { busy, errors, handleSubmit } = useSubmit({
    fields: sameNames('masterPassword'),
    codes: { wrong_password: 'masterPassword', throttled: 'masterPassword' },
  });
  const submit = handleSubmit(async () => {
    if (removeLocal && !masterPassword) return { masterPassword: t('errEnterMasterPassword') };
    await lockAware(call('sync.signOut', removeLocal ? { removeLocal, masterPassword } : {}));
    // Erased: the page starts over at the first-run screen.
    if (removeLocal) onLocked();
    else await onDone();
  });
  return (
    <form noValidate onSubmit={submit} aria-label={t('syncSignOut')} aria-busy={busy}>
      {waiting > 0 && <p className="warning">{t('syncSignOutWaiting', waiting)}</p>}
      <fieldset>
        <legend>{t('syncSignOutLocal')}</legend>
        <label>
          <input type="radio" name="local" checked={!removeLocal} onChange={() => setRemoveLocal(false)} /> {t('syncKeepLocal')}
        </label>
        <label>
          <input type="radio" name="local" checked={removeLocal} onChange={() => setRemoveLocal(true)} /> {t('syncRemoveLocal')}
        </label>
      </fieldset>
      {removeLocal && (
        <Field label={t('currentMasterPassword')} error={errors.masterPassword}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              value={masterPassword}
              onChange={(e) => setMasterPassword(e.target.value)}
            />
          )}
        </Field>
      )}
      <FormError message={errors.form} />
      <div className="row">
        <button type="submit" className={removeLocal ? 'danger' : 'primary'} disabled={busy}>
          {t('syncSignOut')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
