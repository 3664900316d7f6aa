import { useState, type FormEvent } from 'react';
import { call } from '../../adapters/messenger';
import { Field } from '../ui/Field';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from '../vault/password-strength';
import { backupFileName } from './file-names';
import { useLockAware } from './lock-context';
import { placeError, type FormErrors } from '../ui/place-error';
import { saveFile } from '../ui/save-file';

/** Downloads the whole vault, sealed under a backup password (Toolkit encrypt format). */
export function BackupExportForm() {
  const lockAware = useLockAware();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const strength = passwordStrength(password);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(undefined);
    // The file can leave the device and be attacked offline, so the same floor as a master password.
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) return setErrors({ password: `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters` });
    if (password !== confirm) return setErrors({ confirm: 'The two passwords differ' });
    setErrors({});
    setBusy(true);
    try {
      const text = await lockAware(call('vault.exportBackup', { password }));
      const filename = backupFileName(new Date());
      saveFile(text, filename, 'application/json');
      setPassword('');
      setConfirm('');
      setSaved(`Saved ${filename}`);
    } catch (err) {
      setErrors(placeError(err, { fields: { password: 'password' } }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} aria-label="Export encrypted backup" aria-busy={busy}>
      <h3>Export encrypted backup</h3>
      <Field label="Backup password" error={errors.password} hint={strength.label && <span className={`strength s${strength.score}`}>{strength.label}</span>}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <Field label="Confirm backup password" error={errors.confirm}>
        {(props) => <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <button type="submit" disabled={busy}>Export backup</button>
      {busy && <p role="status">Encrypting…</p>}
      {saved && <p role="status" className="saved">{saved}</p>}
    </form>
  );
}
