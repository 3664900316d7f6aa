import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { Field, FormError } from '../ui/Field';
import { useSubmit } from '../ui/use-submit';
import { dotenvFileName } from './file-names';
import { useLockAware } from './lock-context';
import { keysInSeveralPaths, mergePaths, pathsOf } from './merge-dotenv';
import { namesOf, SafeEnvFields, type SafeEnv } from './SafeEnvFields';
import { saveFile } from '../ui/save-file';
import { Section } from './Section';
import { useSafes } from './useSafes';
import { plural, t } from '../ui/i18n';

const FIELDS = { safeId: 'safe', envId: 'env', secretPath: 'path' };

interface Exported {
  text: string;
  warnings: string[];
}

/** Writes one environment (one path, or all of them) as a .env file, downloaded and shown. */
export function DotenvExportSection() {
  const lockAware = useLockAware();
  const { safes, error: loadError } = useSafes();
  const [target, setTarget] = useState<SafeEnv>({ safeId: '', envId: '' });
  const [path, setPath] = useState('');
  const [exported, setExported] = useState<Exported>();
  /** References that fail stop the export unless the user ticks this, with the warning beside it. */
  const [keepUnresolved, setKeepUnresolved] = useState(false);
  const { busy, errors, handleSubmit } = useSubmit({ fields: FIELDS });

  async function exportPaths(): Promise<Exported> {
    const one = (secretPath: string) =>
      lockAware(call('vault.exportDotenv', { safeId: target.safeId, envId: target.envId, secretPath, keepUnresolved }));
    if (path.trim()) return { text: await one(path.trim()), warnings: [] };
    const items = await lockAware(call('vault.listSecrets', target));
    const paths = pathsOf(items);
    const parts = await Promise.all((paths.length > 0 ? paths : ['/']).map(async (p) => ({ path: p, text: await one(p) })));
    const warnings: string[] = [];
    const damaged = items.length - items.filter((i) => 'key' in i).length;
    if (damaged > 0) warnings.push(plural(damaged, 'damagedLeftOutOne', 'damagedLeftOutOther'));
    const repeated = keysInSeveralPaths(items);
    if (repeated.length > 0) {
      warnings.push(t(repeated.length === 1 ? 'repeatedKeyOne' : 'repeatedKeyOther', repeated.join(', ')));
    }
    return { text: mergePaths(parts), warnings };
  }

  const submit = handleSubmit(async () => {
    if (!safes) return;
    setExported(undefined);
    const result = await exportPaths();
    setExported(result);
    const { safeName, envName } = namesOf(safes, target);
    saveFile(result.text, dotenvFileName(safeName, envName), 'text/plain');
  });

  return (
    <Section title={t('exportDotenvTitle')}>
      <FormError message={loadError} />
      {safes && (
        <form noValidate onSubmit={submit} aria-label={t('exportDotenvTitle')} aria-busy={busy}>
          <SafeEnvFields safes={safes} value={target} onChange={setTarget} errors={{ safe: errors.safe, env: errors.env }} />
          <Field label={t('pathToExport')} error={errors.path} hint={t('pathToExportHint')}>
            {(props) => (
              <input {...props} spellCheck={false} value={path} placeholder={t('allPaths')} onChange={(e) => setPath(e.target.value)} />
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={keepUnresolved} onChange={(e) => setKeepUnresolved(e.target.checked)} />
            {t('keepUnresolvedLabel', '${…}')}
          </label>
          {keepUnresolved && (
            <p className="warning" role="note">
              {t('keepUnresolvedWarning', '${…}')}
            </p>
          )}
          <FormError message={errors.form} />
          <button type="submit" className="primary" disabled={busy || !target.envId}>
            {t('exportButton')}
          </button>
          {exported && (
            <>
              {exported.warnings.map((w) => (
                <p key={w} className="warning" role="alert">
                  {w}
                </p>
              ))}
              <Field label={t('exportedDotenv')} hint={t('exportedDotenvHint')}>
                {(props) => <textarea {...props} className="mono" rows={8} readOnly spellCheck={false} value={exported.text} />}
              </Field>
            </>
          )}
        </form>
      )}
    </Section>
  );
}
