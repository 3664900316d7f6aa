import { useId } from 'react';
import type { OnConflict } from '../../lib/vault/types';

const CHOICES: { value: OnConflict; label: string }[] = [
  { value: 'error', label: 'Stop with an error (import nothing)' },
  { value: 'skip', label: 'Skip it (keep the stored value)' },
  { value: 'overwrite', label: 'Overwrite it' },
];

/** What an import does with a key that already exists at that path. */
export function OnConflictChoice({ value, onChange, error }: { value: OnConflict; onChange: (v: OnConflict) => void; error?: string | undefined }) {
  const name = useId();
  const errorId = `${name}-error`;
  return (
    <fieldset aria-invalid={Boolean(error)} {...(error ? { 'aria-describedby': errorId } : {})}>
      <legend>If a key already exists</legend>
      {CHOICES.map((c) => (
        <label key={c.value}>
          <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
          {c.label}
        </label>
      ))}
      {error && <p id={errorId} className="field-error" role="alert">{error}</p>}
    </fieldset>
  );
}
