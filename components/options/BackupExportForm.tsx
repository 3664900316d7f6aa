import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from '../vault/password-strength';
import { backupFileName } from './file-names';
import { useLockAware } from './lock-context';
import { useSubmit } from '../ui/use-submit';
import { saveFile } from '../ui/save-file';
import { render, t } from '../ui/i18n';

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
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) return { password: t('tooShort', MIN_MASTER_PASSWORD_LENGTH) };
    if (password !== confirm) return { confirm: t('passwordsDiffer') };
    const text = await lockAware(call('vault.exportBackup', { password }));
    const filename = backupFileName(new Date());
    saveFile(text, filename, 'application/json');
    setPassword('');
    setConfirm('');
    setSaved(t('backupSaved', filename));
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('exportBackupTitle')} aria-busy={busy}>
      <h3>{t('exportBackupTitle')}</h3>
      <Field
        label={t('backupPassword')}
        error={errors.password}
        hint={strength.label && <span className={`strength s${strength.score}`}>{render(strength.label)}</span>}
      >
        {(props) => (
          <input {...props} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </Field>
      <Field label={t('confirmBackupPassword')} error={errors.confirm}>
        {(props) => (
          <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        )}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" disabled={busy}>
        {t('exportBackup')}
      </button>
      {busy && <p role="status">{t('encrypting')}</p>}
      {saved && (
        <p role="status" className="saved">
          {saved}
        </p>
      )}
    </form>
  );
}
