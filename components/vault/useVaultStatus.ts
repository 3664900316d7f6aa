import { useCallback, useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { VaultStatus } from '../../lib/messages';

/** The vault's state as the background reports it; `refresh` after setup, unlock or lock. */
export function useVaultStatus() {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const refresh = useCallback(async () => setStatus(await call('vault.status')), []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { status, refresh };
}
