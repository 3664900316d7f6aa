import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from '../vault/password-strength';
import { backupFileName } from './file-names';
import { useLockAware } from './lock-context';
import { useSubmit } from '../ui/use-submit';
import { saveFile } from '../ui/save-file';

/** Downloads the whole vault, sealed under a backup password (Toolkit encrypt format). */
export function BackupExportForm() {
  const lockAware = useLockAware();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [saved, setSaved] = useState<string>();
  const strength = passwordStrength(password);
  const { busy, errors, handleSubmit } = useSubmit({ fields: { password: 'password' } });

  const submit = handleSubmit(async () => {
    setSaved(undefined);
    // The file can leave the device and be attacked offline, so the same floor as a master password.
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) return { password: `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters` };
    if (password !== confirm) return { confirm: 'The two passwords differ' };
    const text = await lockAware(call('vault.exportBackup', { password }));
    const filename = backupFileName(new Date());
    saveFile(text, filename, 'application/json');
    setPassword('');
    setConfirm('');
    setSaved(`Saved ${filename}`);
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Export encrypted backup" aria-busy={busy}>
      <h3>Export encrypted backup</h3>
      <Field label="Backup password" error={errors.password} hint={strength.label && <span className={`strength s${strength.score}`}>{strength.label}</span>}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <Field label="Confirm backup password" error={errors.confirm}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" disabled={busy}>Export backup</button>
      {busy && <p role="status">Encrypting…</p>}
      {saved && <p role="status" className="saved">{saved}</p>}
    </form>
  );
}
