import { useState } from 'react';
import { call } from '../../adapters/messenger';
import type { ImportResult, OnConflict } from '../../lib/vault/types';
import { Field, FormError } from '../ui/Field';
import { useSubmit } from '../ui/use-submit';
import { DotenvSourceFields } from './DotenvSourceFields';
import { useLockAware } from './lock-context';
import { OnConflictChoice } from './OnConflictChoice';
import { SafeEnvFields, type SafeEnv } from './SafeEnvFields';
import { Section } from './Section';
import { useSafes } from './useSafes';
import { t } from '../ui/i18n';

const FIELDS = { safeId: 'safe', envId: 'env', secretPath: 'path', text: 'text', onConflict: 'onConflict' };

export function summary(r: ImportResult): string {
  return t('importSummary', r.created, r.updated, r.skipped);
}

/** Reads a .env file (or pasted text) into one environment and path. */
export function DotenvImportSection() {
  const lockAware = useLockAware();
  const { safes, error: loadError } = useSafes();
  const [target, setTarget] = useState<SafeEnv>({ safeId: '', envId: '' });
  const [path, setPath] = useState('/');
  const [text, setText] = useState('');
  const [onConflict, setOnConflict] = useState<OnConflict>('error');
  const [result, setResult] = useState<string>();
  // A conflict is answered by choosing skip or overwrite, so say it there.
  const { busy, errors, setErrors, handleSubmit } = useSubmit({
    fields: FIELDS,
    codes: { duplicate: 'onConflict', dotenv_unrepresentable: 'text' },
  });

  const submit = handleSubmit(async () => {
    setResult(undefined);
    if (!text.trim()) return { text: t('chooseDotenv') };
    const r = await lockAware(
      call('vault.importDotenv', { safeId: target.safeId, envId: target.envId, secretPath: path.trim() || '/', text, onConflict }),
    );
    setResult(summary(r));
  });

  return (
    <Section title={t('importDotenvTitle')}>
      <FormError message={loadError} />
      {safes && (
        <form noValidate onSubmit={submit} aria-label={t('importDotenvTitle')} aria-busy={busy}>
          <SafeEnvFields safes={safes} value={target} onChange={setTarget} errors={{ safe: errors.safe, env: errors.env }} />
          <Field label={t('pathLabel')} error={errors.path} hint={t('importPathHint')}>
            {(props) => <input {...props} spellCheck={false} value={path} onChange={(e) => setPath(e.target.value)} />}
          </Field>
          <DotenvSourceFields
            text={text}
            onText={setText}
            error={errors.text}
            onFileError={(message) => setErrors({ file: message })}
            fileError={errors.file}
          />
          <OnConflictChoice value={onConflict} onChange={setOnConflict} error={errors.onConflict} />
          <FormError message={errors.form} />
          <button type="submit" className="primary" disabled={busy || !target.envId}>
            {t('importButton')}
          </button>
          {result && (
            <p role="status" className="saved">
              {result}
            </p>
          )}
        </form>
      )}
    </Section>
  );
}
