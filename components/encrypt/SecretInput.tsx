import { generateKey } from '../../lib/toolkit';
import { Field } from '../ui/Field';
import { t } from '../ui/i18n';

export type SecretMode = 'key' | 'password';

interface SecretInputProps {
  mode: SecretMode;
  onModeChange: (mode: SecretMode) => void;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  /** Offer a button that fills in a fresh random key (for encrypting). */
  canGenerate?: boolean;
  /** What the secret is for, e.g. "Encrypt with". */
  legend: string;
}

/** Chooses between a 64-hex-character key and a password, and takes the one chosen. */
export function SecretInput({ mode, onModeChange, value, onChange, error, canGenerate, legend }: SecretInputProps) {
  return (
    <>
      <fieldset className="row">
        <legend>{legend}</legend>
        {(['key', 'password'] as const).map((m) => (
          <label key={m}>
            <input type="radio" checked={mode === m} onChange={() => onModeChange(m)} />
            {t(m === 'key' ? 'useHexKey' : 'usePassword')}
          </label>
        ))}
      </fieldset>
      {mode === 'key' ? (
        <Field label={t('hexKeyLabel')} error={error} hint={t('hexKeyHint')}>
          {(props) => (
            <div className="row">
              <input
                {...props}
                className="mono"
                value={value}
                onChange={(e) => onChange(e.target.value.trim())}
                autoComplete="off"
                spellCheck={false}
              />
              {canGenerate && (
                <button type="button" onClick={async () => onChange((await generateKey({ type: 'secret', length: 64 })).key)}>
                  {t('newKey')}
                </button>
              )}
            </div>
          )}
        </Field>
      ) : (
        <Field label={t('passwordLabel')} error={error}>
          {(props) => <input {...props} type="password" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />}
        </Field>
      )}
    </>
  );
}
