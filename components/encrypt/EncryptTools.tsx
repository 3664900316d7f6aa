import { DecryptForm } from './DecryptForm';
import { EncryptForm } from './EncryptForm';
import { t } from '../ui/i18n';

/** The Encrypt tab: AES-256-GCM encrypt and decrypt (a lazily loaded chunk). */
export default function EncryptTools() {
  return (
    <>
      <h2>{t('encrypt')}</h2>
      <EncryptForm />
      <h2>{t('decrypt')}</h2>
      <DecryptForm />
    </>
  );
}
