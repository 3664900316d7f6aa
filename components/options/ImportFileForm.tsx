import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { IMPORT_FORMATS, MAX_IMPORT_BYTES, readImport, type ImportFormat, type ParsedImport, type Preview } from '../../lib/import';
import type { SafeSummary } from '../../lib/vault/types';
import { Field, FormError } from '../ui/Field';
import { t } from '../ui/i18n';
import { useSubmit } from '../ui/use-submit';
import { FORMAT_LABELS } from './import-words';
import { useLockAware } from './lock-context';
import { SafeEnvFields, type SafeEnv } from './SafeEnvFields';

export interface ReadFile {
  target: SafeEnv;
  parsed: ParsedImport;
  preview: Preview;
}

/**
 * Step one: where to, which file, which format. The file is read and decrypted here, in the page:
 * its content never crosses to the background or into storage (docs/import.md, "Where the file is
 * read"); the background is asked only which of its names clash.
 */
export function ImportFileForm({ safes, onRead }: { safes: SafeSummary[]; onRead: (read: ReadFile) => void }) {
  const lockAware = useLockAware();
  const [target, setTarget] = useState<SafeEnv>({ safeId: '', envId: '' });
  const [path, setPath] = useState('/');
  const [file, setFile] = useState<File>();
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [password, setPassword] = useState('');
  const { busy, errors, handleSubmit } = useSubmit({
    fields: { file: 'file', basePath: 'path', password: 'password', safeId: 'safe', env: 'env' },
    codes: { import_password: 'password', kdf_below_floor: 'file', kdf_out_of_range: 'file' },
  });

  const submit = handleSubmit(async () => {
    if (!file) return { file: t('importChooseFile') };
    // Refused before a byte is read: a huge file cannot fill the page's memory.
    if (file.size > MAX_IMPORT_BYTES) return { file: t('errImportTooLarge', MAX_IMPORT_BYTES / 1024 / 1024) };
    const bytes = await file
      .arrayBuffer()
      .then((b) => new Uint8Array(b))
      .catch(() => null);
    if (!bytes) return { file: t('fileUnreadable') };
    const parsed = await readImport(bytes, {
      basePath: path.trim() || '/',
      ...(format ? { format } : {}),
      ...(password ? { password } : {}),
    });
    const names = parsed.secrets.map(({ path: p, key }) => ({ path: p, key }));
    const preview = await lockAware(call('import.preview', { ...target, names }));
    setPassword('');
    onRead({ target, parsed, preview });
  });

  return (
    <form noValidate onSubmit={submit} aria-label={t('importTitle')} aria-busy={busy}>
      <p>{t('importIntro')}</p>
      <SafeEnvFields safes={safes} value={target} onChange={setTarget} errors={{ safe: errors.safe, env: errors.env }} />
      <Field label={t('pathLabel')} error={errors.path} hint={t('importBasePathHint')}>
        {(props) => <input {...props} spellCheck={false} value={path} onChange={(e) => setPath(e.target.value)} />}
      </Field>
      <Field label={t('importFile')} error={errors.file} hint={t('importFileHint')}>
        {(props) => (
          <input
            {...props}
            type="file"
            accept=".json,.1pux,.csv,.env,text/plain,application/json"
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        )}
      </Field>
      <Field label={t('importFormat')}>
        {(props) => (
          <select {...props} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')}>
            <option value="">{t('importFormatAuto')}</option>
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(FORMAT_LABELS[f])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('importPassword')} error={errors.password} hint={t('importPasswordHint')}>
        {(props) => <input {...props} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy || !target.envId}>
        {t('importPreviewButton')}
      </button>
    </form>
  );
}
