import { useState } from 'react';
import { Field } from '../ui/Field';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';

export interface Choice {
  value: string;
  label: string;
}

/**
 * A select that saves as soon as it changes and says so ("Saved") beside it. A failed save
 * puts the previous choice back and shows why.
 */
export function SettingSelect({
  label,
  value,
  choices,
  save,
}: {
  label: string;
  value: string;
  choices: Choice[];
  save: (value: string) => Promise<void>;
}) {
  const [shown, setShown] = useState(value);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string>();

  async function change(next: string) {
    const previous = shown;
    setShown(next);
    setState('saving');
    setError(undefined);
    try {
      await save(next);
      setState('saved');
    } catch (err) {
      setShown(previous);
      setState('idle');
      setError(errorMessage(err));
    }
  }

  // The status region stays in the page so screen readers announce "Saved" when it appears.
  const status = (
    <span role="status" className="saved">
      {state === 'saved' ? t('saved') : state === 'saving' ? t('saving') : ''}
    </span>
  );
  return (
    <Field label={label} error={error} hint={status}>
      {(props) => (
        <select {...props} value={shown} disabled={state === 'saving'} onChange={(e) => void change(e.target.value)}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
