import { useState } from 'react';
import { EC_CURVES, generateKeypair, RSA_KEY_SIZES, type GenerateKeypairResponse } from '../../lib/toolkit';
import { CopyButton } from '../ui/CopyButton';
import { DownloadButton } from '../ui/DownloadButton';
import { sameNames } from '../ui/field-errors';
import { useSubmit } from '../ui/use-submit';
import { Field, FormError } from '../ui/Field';
import { t } from '../ui/i18n';

export function GenerateKeypair() {
  const [algorithm, setAlgorithm] = useState<'RSA' | 'EC'>('EC');
  const [keySize, setKeySize] = useState<number>(4096);
  const [curve, setCurve] = useState<string>('P-256');
  const [format, setFormat] = useState<'traditional' | 'pkcs8'>('traditional');
  const [pair, setPair] = useState<GenerateKeypairResponse | null>(null);
  const { busy, errors, handleSubmit } = useSubmit({ fields: sameNames('key_size', 'curve') });

  const submit = handleSubmit(async () => {
    setPair(null);
    // WebCrypto generates off the main thread, so the popup stays responsive even for RSA 4096.
    setPair(
      await generateKeypair({
        algorithm,
        ...(algorithm === 'RSA' ? { key_size: keySize } : { curve }),
        ...(format === 'pkcs8' ? { format } : {}),
      }),
    );
  });

  const name = pair ? (pair.algorithm === 'RSA' ? `rsa-${pair.key_size}` : `ec-${pair.curve?.toLowerCase()}`) : '';
  return (
    <form noValidate onSubmit={submit} aria-label={t('generateKeyPairForm')} aria-busy={busy}>
      <div className="row">
        <Field label={t('algorithmLabel')}>
          {(props) => (
            <select {...props} value={algorithm} onChange={(e) => setAlgorithm(e.target.value as 'RSA' | 'EC')}>
              <option value="EC">EC</option>
              <option value="RSA">RSA</option>
            </select>
          )}
        </Field>
        {algorithm === 'RSA' ? (
          <Field label={t('keySizeLabel')} error={errors.key_size}>
            {(props) => (
              <select {...props} value={keySize} onChange={(e) => setKeySize(Number(e.target.value))}>
                {RSA_KEY_SIZES.map((s) => (
                  <option key={s} value={s}>
                    {t('keySizeBits', s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label={t('curveLabel')} error={errors.curve}>
            {(props) => (
              <select {...props} value={curve} onChange={(e) => setCurve(e.target.value)}>
                {EC_CURVES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t('privateKeyFormat')}>
          {(props) => (
            <select {...props} value={format} onChange={(e) => setFormat(e.target.value as 'traditional' | 'pkcs8')}>
              <option value="traditional">{algorithm === 'RSA' ? 'PKCS#1' : 'SEC1'}</option>
              <option value="pkcs8">PKCS#8</option>
            </select>
          )}
        </Field>
      </div>
      <FormError message={errors.form} />
      <button type="submit" className="primary" disabled={busy}>
        {t('generateKeyPair')}
      </button>
      {busy && (
        <div role="status" className="progress">
          <progress aria-label={t('generatingKeyPair')} />
          {t('generatingWhich', algorithm === 'RSA' ? `RSA ${keySize}` : `EC ${curve}`)}
        </div>
      )}
      {pair && (
        <div className="result">
          {(['public', 'private'] as const).map((which) => {
            const pem = which === 'public' ? pair.public_key : pair.private_key;
            return (
              <div key={which}>
                <Field label={t(which === 'public' ? 'publicKey' : 'privateKey')}>
                  {(props) => <textarea {...props} readOnly value={pem} rows={4} className="mono" />}
                </Field>
                <div className="row">
                  <CopyButton text={pem} what={t(which === 'public' ? 'publicKeyWhat' : 'privateKeyWhat')} />
                  <DownloadButton
                    text={pem}
                    filename={`keysmith-${name}-${which}.pem`}
                    what={t(which === 'public' ? 'publicKeyWhat' : 'privateKeyWhat')}
                  />
                </div>
              </div>
            );
          })}
        </div>
      )}
    </form>
  );
}
