import { DecryptForm } from '../../components/encrypt/DecryptForm';
import { EncryptForm } from '../../components/encrypt/EncryptForm';
import { GenerateKey } from '../../components/generate/GenerateKey';
import { GenerateKeypair } from '../../components/generate/GenerateKeypair';
import { Tabs } from '../../components/ui/Tabs';
import { VaultTab } from './VaultTab';

export function App() {
  return (
    <main>
      <h1>Keysmith</h1>
      <Tabs
        label="Keysmith"
        tabs={[
          { id: 'vault', label: 'Vault', panel: <VaultTab /> },
          { id: 'generate', label: 'Generate', panel: (<><h2>Key</h2><GenerateKey /><h2>Key pair</h2><GenerateKeypair /></>) },
          { id: 'encrypt', label: 'Encrypt', panel: (<><h2>Encrypt</h2><EncryptForm /><h2>Decrypt</h2><DecryptForm /></>) },
        ]}
      />
    </main>
  );
}
