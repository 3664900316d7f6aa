import { GenerateKey } from './GenerateKey';
import { GenerateKeypair } from './GenerateKeypair';

/** The Generate tab: single keys and key pairs (a lazily loaded chunk: ASN.1 code stays off start-up). */
export default function GenerateTools() {
  return (
    <>
      <h2>Key</h2>
      <GenerateKey />
      <h2>Key pair</h2>
      <GenerateKeypair />
    </>
  );
}
