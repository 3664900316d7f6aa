import { useState } from 'react';
import { generateKey, KEY_LIMITS, type GenerateKeyResponse, type KeyType } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { Field } from '../ui/Field';
import { t } from '../ui/i18n';
import type { MessageKey } from '../../lib/i18n';

const TYPES: { value: KeyType; label: MessageKey }[] = [
  { value: 'api-key', label: 'typeApiKey' },
  { value: 'uuid-v4', label: 'typeUuid' },
  { value: 'nanoid', label: 'typeNanoid' },
  { value: 'secret', label: 'typeHex' },
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
    <form noValidate onSubmit={submit} aria-label={t('generateKeyForm')}>
      <Field label={t('keyType')}>
        {(props) => (
          <select
            {...props}
            value={type}
            onChange={(e) => {
              setType(e.target.value as KeyType);
              setResult(null);
              setErrors({});
            }}
          >
            {TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {t(type.label)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {type === 'api-key' && (
        <Field label={t('prefixLabel')} error={errors.prefix} hint={t('prefixHint')}>
          {(props) => <input {...props} value={prefix} onChange={(e) => setPrefix(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      )}
      {limits && (
        <Field label={t('lengthLabel')} error={errors.length} hint={t('lengthHint', limits.min, limits.max, limits.default)}>
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={limits.min}
              max={limits.max}
              placeholder={String(limits.default)}
              value={length}
              onChange={(e) => setLength(e.target.value)}
            />
          )}
        </Field>
      )}
      {(errors.type || errors.form) && (
        <p className="field-error" role="alert">
          {errors.type ?? errors.form}
        </p>
      )}
      <button type="submit" className="primary">
        {t('generateKey')}
      </button>
      {result && (
        <div className="result">
          <Field label={t('generatedKey')}>{(props) => <input {...props} readOnly value={result.key} className="mono" />}</Field>
          <div className="row">
            <output className="entropy" aria-label={t('entropyLabel')}>
              {t('entropyBits', result.entropy_bits)}
            </output>
            <CopyButton text={result.key} what={t('generatedKeyWhat')} />
          </div>
        </div>
      )}
    </form>
  );
}
