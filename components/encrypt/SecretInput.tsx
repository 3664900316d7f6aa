import { generateKey } from '../../lib/toolkit';
import { Field } from '../ui/Field';

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
            {m === 'key' ? 'Use a hex key' : 'Use a password'}
          </label>
        ))}
      </fieldset>
      {mode === 'key' ? (
        <Field label="Key" error={error} hint="64 hex characters (32 bytes)">
          {(props) => (
            <div className="row">
              <input {...props} className="mono" value={value} onChange={(e) => onChange(e.target.value.trim())} autoComplete="off" spellCheck={false} />
              {canGenerate && (
                <button type="button" onClick={async () => onChange((await generateKey({ type: 'secret', length: 64 })).key)}>
                  New key
                </button>
              )}
            </div>
          )}
        </Field>
      ) : (
        <Field label="Password" error={error}>
          {(props) => <input {...props} type="password" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />}
        </Field>
      )}
    </>
  );
}
