import { DecryptForm } from './DecryptForm';
import { EncryptForm } from './EncryptForm';

/** The Encrypt tab: AES-256-GCM encrypt and decrypt (a lazily loaded chunk). */
export default function EncryptTools() {
  return (
    <>
      <h2>Encrypt</h2>
      <EncryptForm />
      <h2>Decrypt</h2>
      <DecryptForm />
    </>
  );
}
