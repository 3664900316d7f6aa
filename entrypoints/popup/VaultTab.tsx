import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import { FirstRunScreen } from '../../components/sync/FirstRunScreen';
import { ConflictsPanel } from '../../components/sync/ConflictsPanel';
import { SyncLine } from '../../components/sync/SyncLine';
import { useSyncStatus } from '../../components/sync/useSyncStatus';
import { UnlockScreen } from '../../components/vault/UnlockScreen';
import { useVaultStatus } from '../../components/vault/useVaultStatus';
import { VaultView } from '../../components/vault/VaultView';
import type { VaultOpening } from '../../lib/vault/types';
import { t } from '../../components/ui/i18n';

/**
 * Waits for the start-up request begun in main.tsx. Deliberately not React's `use()` + Suspense:
 * React 19 holds back content that suspended for ~300 ms after its fallback (to avoid flicker),
 * which alone would blow the popup's 200 ms budget.
 */
export function VaultTab({ opening }: { opening: Promise<VaultOpening | null> }) {
  const [first, setFirst] = useState<VaultOpening | null>();
  useEffect(() => {
    void opening.then(setFirst);
  }, [opening]);
  if (first === undefined) return <p role="status">{t('loading')}</p>;
  return <VaultScreens first={first} />;
}

/** Setup on first run, unlock when locked, the vault itself when unlocked. */
function VaultScreens({ first }: { first: VaultOpening | null }) {
  const { status, refresh } = useVaultStatus(first?.status);
  // The opening snapshot serves the first view only: after a lock, the next unlock loads afresh.
  const [initialView, setInitialView] = useState(first?.view);
  if (status && !status.unlocked && initialView) setInitialView(undefined);

  if (!status) return <p role="status">{t('loading')}</p>;
  if (!status.initialised) return <FirstRunScreen onDone={refresh} />;
  if (!status.unlocked) return <UnlockScreen onDone={refresh} />;
  return <Unlocked initialView={initialView} onLocked={refresh} />;
}

/** The vault, the sync line above it, and news from other devices while the popup is open. */
function Unlocked({ initialView, onLocked }: { initialView: VaultOpening['view']; onLocked: () => Promise<void> }) {
  // Bumped when changes from another device arrive: the list reloads.
  const [remote, setRemote] = useState(0);
  const [resolving, setResolving] = useState(false);
  const { status: sync, syncNow } = useSyncStatus(() => setRemote((n) => n + 1));
  return (
    <>
      <div className="row toolbar">
        <button
          type="button"
          onClick={async () => {
            await call('vault.lock');
            await onLocked();
          }}
        >
          {t('lock')}
        </button>
        <button type="button" onClick={() => browser.runtime.openOptionsPage()}>
          {t('settings')}
        </button>
      </div>
      <SyncLine status={sync} onConflicts={() => setResolving(true)} onSyncNow={syncNow} />
      {resolving ? (
        <ConflictsPanel
          status={sync}
          onDone={() => {
            setResolving(false);
            setRemote((n) => n + 1);
          }}
        />
      ) : (
        <VaultView initial={initialView} remoteChange={remote} />
      )}
    </>
  );
}
