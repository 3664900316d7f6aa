import { useId } from 'react';
import type { OnConflict } from '../../lib/vault/types';
import { t } from '../ui/i18n';
import type { MessageKey } from '../../lib/i18n';

const CHOICES: { value: OnConflict; label: MessageKey }[] = [
  { value: 'error', label: 'conflictError' },
  { value: 'skip', label: 'conflictSkip' },
  { value: 'overwrite', label: 'conflictOverwrite' },
];

/** What an import does with a key that already exists at that path. */
export function OnConflictChoice({
  value,
  onChange,
  error,
}: {
  value: OnConflict;
  onChange: (v: OnConflict) => void;
  error?: string | undefined;
}) {
  const name = useId();
  const errorId = `${name}-error`;
  return (
    <fieldset aria-invalid={Boolean(error)} {...(error ? { 'aria-describedby': errorId } : {})}>
      <legend>{t('conflictLegend')}</legend>
      {CHOICES.map((c) => (
        <label key={c.value}>
          <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
          {t(c.label)}
        </label>
      ))}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
