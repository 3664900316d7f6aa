import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { MAX_BACKUP_BYTES } from '../../lib/vault/backup-limits';
import { Field, FormError } from '../ui/Field';
import { useLockAware } from './lock-context';
import type { FormErrors } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { t } from '../ui/i18n';

/**
 * Replaces the whole vault with a backup. The background checks the current master password, the
 * backup password and the file before writing anything, so a refusal leaves the current vault as it
 * was; success leaves it locked. An oversized file is refused here, before it is even read.
 */
export function BackupRestoreForm({ onRestored }: { onRestored: () => void }) {
  const lockAware = useLockAware();
  const [file, setFile] = useState<File>();
  const [password, setPassword] = useState('');
  const [masterPassword, setMasterPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const { busy, errors, handleSubmit } = useSubmit({
    fields: { password: 'password', masterPassword: 'masterPassword', file: 'file' },
    // A wrong password and an altered ciphertext fail the same authentication check.
    codes: {
      backup_auth_failed: 'password',
      backup_invalid: 'file',
      kdf_below_floor: 'file',
      kdf_out_of_range: 'file',
      wrong_password: 'masterPassword',
      throttled: 'masterPassword',
    },
  });

  const submit = handleSubmit(async () => {
    const found: FormErrors = {};
    if (!file) found.file = t('chooseBackupFile');
    if (file && file.size > MAX_BACKUP_BYTES) found.file = t('errBackupTooLarge', MAX_BACKUP_BYTES / 1024 / 1024);
    if (!password) found.password = t('errBackupPasswordEnter');
    if (!masterPassword) found.masterPassword = t('enterMasterToReplace');
    if (!confirmed) found.confirm = t('confirmReplace');
    if (!file || Object.keys(found).length > 0) return found;
    const text = await file.text().catch(() => null);
    if (text === null) return { file: t('fileUnreadable') };
    await lockAware(call('vault.restoreBackup', { text, password, masterPassword }));
    onRestored();
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('restoreTitle')} aria-busy={busy}>
      <h3>{t('restoreTitle')}</h3>
      <Field label={t('backupFile')} error={errors.file}>
        {(props) => <input {...props} type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0])} />}
      </Field>
      <Field label={t('backupPassword')} error={errors.password}>
        {(props) => <input {...props} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
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
      <Field label={t('replaceVaultLabel')} error={errors.confirm} hint={t('replaceVaultHint')}>
        {(props) => <input {...props} type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('restoreBackup')}
      </button>
      {busy && <p role="status">{t('restoring')}</p>}
    </form>
  );
}
