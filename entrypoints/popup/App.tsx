import { lazy, Suspense } from 'react';
import { Tabs } from '../../components/ui/Tabs';
import type { VaultOpening } from '../../lib/vault/types';
import { VaultTab } from './VaultTab';
import { t } from '../../components/ui/i18n';

// The tools load on first use, so opening the popup parses only what the vault list needs.
const GenerateTools = lazy(() => import('../../components/generate/GenerateTools'));
const EncryptTools = lazy(() => import('../../components/encrypt/EncryptTools'));

export function App({ opening }: { opening: Promise<VaultOpening | null> }) {
  return (
    <main>
      <h1>{t('extName')}</h1>
      {/* One boundary around all tabs, visible from the start: a tab switch (a transition, see
          Tabs) that waits for a lazy panel keeps the current panel up. A boundary per panel
          would mount fresh on first view, show its fallback, and React 19 would hold the
          content back ~300 ms (measured 310–333 ms, against 10–32 ms without). */}
      <Suspense fallback={<p role="status">{t('loading')}</p>}>
        <Tabs
          label={t('extName')}
          tabs={[
            { id: 'vault', label: t('tabVault'), panel: <VaultTab opening={opening} /> },
            { id: 'generate', label: t('tabGenerate'), panel: <GenerateTools /> },
            { id: 'encrypt', label: t('encrypt'), panel: <EncryptTools /> },
          ]}
        />
      </Suspense>
    </main>
  );
}
