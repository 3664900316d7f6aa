import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { MAX_BACKUP_BYTES } from '../../lib/vault/backup-limits';
import { Field, FormError } from '../ui/Field';
import { useLockAware } from './lock-context';
import type { FormErrors } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';

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
      backup_auth_failed: 'password', backup_invalid: 'file', kdf_below_floor: 'file', kdf_out_of_range: 'file',
      wrong_password: 'masterPassword', throttled: 'masterPassword',
    },
  });

  const submit = handleSubmit(async () => {
    const found: FormErrors = {};
    if (!file) found.file = 'Choose a backup file';
    if (file && file.size > MAX_BACKUP_BYTES) found.file = `This file is larger than a Keysmith backup can be (at most ${MAX_BACKUP_BYTES / 1024 / 1024} MiB)`;
    if (!password) found.password = 'Enter the backup password';
    if (!masterPassword) found.masterPassword = 'Enter your current master password to replace this vault';
    if (!confirmed) found.confirm = 'Confirm that the backup replaces your current vault';
    if (!file || Object.keys(found).length > 0) return found;
    const text = await file.text().catch(() => null);
    if (text === null) return { file: 'This file could not be read; choose it again' };
    await lockAware(call('vault.restoreBackup', { text, password, masterPassword }));
    onRestored();
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Restore from backup" aria-busy={busy}>
      <h3>Restore from backup</h3>
      <Field label="Backup file" error={errors.file}>
        {(props) => <input {...props} type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0])} />}
      </Field>
      <Field label="Backup password" error={errors.password}>
        {(props) => <input {...props} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <Field label="Current master password" error={errors.masterPassword}>
        {(props) => <input {...props} type="password" autoComplete="current-password" value={masterPassword} onChange={(e) => setMasterPassword(e.target.value)} />}
      </Field>
      <Field label="Replace my current vault with this backup" error={errors.confirm} hint="Everything now in this vault is deleted and the backup takes its place. This cannot be undone.">
        {(props) => <input {...props} type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>Restore backup</button>
      {busy && <p role="status">Checking and restoring the backup…</p>}
    </form>
  );
}
