import { useState } from 'react';
import { generateKey, KEY_LIMITS, type GenerateKeyResponse, type KeyType } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { Field } from '../ui/Field';

const TYPES: { value: KeyType; label: string }[] = [
  { value: 'api-key', label: 'API key (prefix_ + 64 hex)' },
  { value: 'uuid-v4', label: 'UUID v4' },
  { value: 'nanoid', label: 'Nanoid' },
  { value: 'secret', label: 'Hex secret' },
];

export function GenerateKey({ onGenerated }: { onGenerated?: (key: string) => void }) {
  const [type, setType] = useState<KeyType>('api-key');
  const [prefix, setPrefix] = useState('');
  const [length, setLength] = useState('');
  const [result, setResult] = useState<GenerateKeyResponse | null>(null);
  const { errors, setErrors, handleSubmit } = useSubmit({ fields: sameNames('type', 'prefix', 'length') }, () => setResult(null));
  const limits = type === 'nanoid' || type === 'secret' ? KEY_LIMITS[type] : null;

  const submit = handleSubmit(async () => {
    const parsedLength = length.trim() === '' ? undefined : Number(length);
    const generated = await generateKey({
      type,
      ...(type === 'api-key' ? { prefix } : {}),
      ...(limits ? { length: parsedLength } : {}),
    });
    setResult(generated);
    onGenerated?.(generated.key);
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Generate a key">
      <Field label="Key type">
        {(props) => (
          <select {...props} value={type} onChange={(e) => { setType(e.target.value as KeyType); setResult(null); setErrors({}); }}>
            {TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
          </select>
        )}
      </Field>
      {type === 'api-key' && (
        <Field label="Prefix" error={errors.prefix} hint="Optional: 1–16 letters or digits, e.g. sk">
          {(props) => <input {...props} value={prefix} onChange={(e) => setPrefix(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      )}
      {limits && (
        <Field label="Length" error={errors.length} hint={`${limits.min}–${limits.max}, default ${limits.default}`}>
          {(props) => (
            <input {...props} type="number" inputMode="numeric" min={limits.min} max={limits.max} placeholder={String(limits.default)} value={length} onChange={(e) => setLength(e.target.value)} />
          )}
        </Field>
      )}
      {(errors.type || errors.form) && <p className="field-error" role="alert">{errors.type ?? errors.form}</p>}
      <button type="submit" className="primary">Generate key</button>
      {result && (
        <div className="result">
          <Field label="Generated key">
            {(props) => <input {...props} readOnly value={result.key} className="mono" />}
          </Field>
          <div className="row">
            <span className="entropy" aria-label="Entropy">{result.entropy_bits} bits of entropy</span>
            <CopyButton text={result.key} what="generated key" />
          </div>
        </div>
      )}
    </form>
  );
}
