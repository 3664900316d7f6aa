import { useId, useState } from 'react';
import { call } from '../../adapters/messenger';
import { CLASH_CHOICES, type ClashChoice, type NoticeKind } from '../../lib/import';
import type { ImportResult, SafeSummary } from '../../lib/vault/types';
import type { MessageKey } from '../../lib/i18n';
import { FormError } from '../ui/Field';
import { t } from '../ui/i18n';
import { useSubmit } from '../ui/use-submit';
import { FORMAT_LABELS, NOTICE_LABELS } from './import-words';
import type { ReadFile } from './ImportFileForm';
import { useLockAware } from './lock-context';

const CHOICE_LABELS: Record<ClashChoice, MessageKey> = {
  skip: 'importClashSkip',
  overwrite: 'importClashOverwrite',
  keep: 'importClashKeep',
};
const ALL_LABELS: Record<ClashChoice, MessageKey> = { skip: 'importAllSkip', overwrite: 'importAllOverwrite', keep: 'importAllKeep' };

/** Step two: how many secrets go where, each clash with its choice, what is not imported; then Import or Cancel. */
export function ImportPreview({
  read,
  safes,
  onDone,
  onCancel,
}: {
  read: ReadFile;
  safes: SafeSummary[];
  onDone: (r: ImportResult) => void;
  onCancel: () => void;
}) {
  const lockAware = useLockAware();
  const { parsed, preview, target } = read;
  // Skipping is the choice that changes nothing stored: the default until the user picks another.
  const [choices, setChoices] = useState<Record<string, ClashChoice>>(() => Object.fromEntries(preview.clashes.map((c) => [c.id, 'skip'])));
  const { busy, errors, handleSubmit } = useSubmit();
  const safe = safes.find((s) => s.id === target.safeId);
  const env = safe?.environments.find((e) => e.id === target.envId);
  const titleId = useId();

  const submit = handleSubmit(async () => {
    onDone(await lockAware(call('import.apply', { ...target, secrets: parsed.secrets, choices })));
  });

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} aria-busy={busy}>
      <h3 id={titleId}>{t('importPreviewTitle', safe?.name ?? '', env?.name ?? '')}</h3>
      <p>{t('importFormatRead', t(FORMAT_LABELS[parsed.format]))}</p>
      <p>{t('importTotal', parsed.secrets.length)}</p>
      <ul aria-label={t('pathLabel')}>
        {preview.paths.map((p) => (
          <li key={p.path}>{t('importPathCount', p.path, p.count)}</li>
        ))}
      </ul>
      {preview.renamed > 0 && <p>{t('importRenamed', preview.renamed)}</p>}
      {preview.clashes.length > 0 && (
        <section aria-label={t('importClashesTitle', preview.clashes.length)}>
          <h4>{t('importClashesTitle', preview.clashes.length)}</h4>
          <p>
            {CLASH_CHOICES.map((c) => (
              <button key={c} type="button" onClick={() => setChoices(Object.fromEntries(preview.clashes.map((x) => [x.id, c])))}>
                {t(ALL_LABELS[c])}
              </button>
            ))}
          </p>
          {preview.clashes.map((clash) => (
            <fieldset key={clash.id}>
              <legend>{t('importClashLegend', clash.key, clash.path)}</legend>
              {CLASH_CHOICES.map((c) => (
                <label key={c}>
                  <input
                    type="radio"
                    name={clash.id}
                    value={c}
                    checked={choices[clash.id] === c}
                    onChange={() => setChoices({ ...choices, [clash.id]: c })}
                  />
                  {t(CHOICE_LABELS[c])}
                </label>
              ))}
            </fieldset>
          ))}
        </section>
      )}
      {Object.keys(parsed.notices).length > 0 && (
        <section aria-label={t('importNoticesTitle')}>
          <h4>{t('importNoticesTitle')}</h4>
          <ul>
            {(Object.entries(parsed.notices) as [NoticeKind, number][]).map(([kind, count]) => (
              <li key={kind}>{t(NOTICE_LABELS[kind], count)}</li>
            ))}
          </ul>
        </section>
      )}
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy || parsed.secrets.length === 0}>
        {t('importButton')}
      </button>
      <button type="button" onClick={onCancel} disabled={busy}>
        {t('cancel')}
      </button>
    </form>
  );
}
