import { lazy, Suspense, type ReactNode } from 'react';
import { Tabs } from '../../components/ui/Tabs';
import type { VaultOpening } from '../../lib/messages';
import { VaultTab } from './VaultTab';

// The tools load on first use, so opening the popup parses only what the vault list needs.
const GenerateTools = lazy(() => import('../../components/generate/GenerateTools'));
const EncryptTools = lazy(() => import('../../components/encrypt/EncryptTools'));
const loading = (panel: ReactNode) => <Suspense fallback={<p role="status">Loading…</p>}>{panel}</Suspense>;

export function App({ opening }: { opening: Promise<VaultOpening | null> }) {
  return (
    <main>
      <h1>Keysmith</h1>
      <Tabs
        label="Keysmith"
        tabs={[
          { id: 'vault', label: 'Vault', panel: <VaultTab opening={opening} /> },
          { id: 'generate', label: 'Generate', panel: loading(<GenerateTools />) },
          { id: 'encrypt', label: 'Encrypt', panel: loading(<EncryptTools />) },
        ]}
      />
    </main>
  );
}
