import { GenerateKey } from './GenerateKey';
import { GenerateKeypair } from './GenerateKeypair';
import { t } from '../ui/i18n';

/** The Generate tab: single keys and key pairs (a lazily loaded chunk: ASN.1 code stays off start-up). */
export default function GenerateTools() {
  return (
    <>
      <h2>{t('sectionKey')}</h2>
      <GenerateKey />
      <h2>{t('sectionKeyPair')}</h2>
      <GenerateKeypair />
    </>
  );
}
