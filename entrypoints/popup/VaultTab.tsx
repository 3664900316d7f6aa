import { call } from '../../adapters/messenger';
import { SetupScreen } from '../../components/vault/SetupScreen';
import { UnlockScreen } from '../../components/vault/UnlockScreen';
import { useVaultStatus } from '../../components/vault/useVaultStatus';
import { VaultView } from '../../components/vault/VaultView';

/** Setup on first run, unlock when locked, the vault itself when unlocked. */
export function VaultTab() {
  const { status, refresh } = useVaultStatus();
  if (!status) return <p role="status">Loading…</p>;
  if (!status.initialised) return <SetupScreen onDone={refresh} />;
  if (!status.unlocked) return <UnlockScreen onDone={refresh} />;
  return (
    <>
      <div className="row toolbar">
        <button type="button" onClick={async () => { await call('vault.lock'); await refresh(); }}>Lock</button>
        <button type="button" onClick={() => browser.runtime.openOptionsPage()}>Settings</button>
      </div>
      <VaultView />
    </>
  );
}
