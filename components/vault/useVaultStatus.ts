import { useCallback, useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import { UNLOCKED_SESSION_KEY } from '../../lib/messages/protocol';
import type { VaultStatus } from '../../lib/vault/types';

/**
 * The vault's state as the background reports it (seeded with `initial` when the page already
 * has it); `refresh` after setup, unlock or lock.
 * When the vault locks elsewhere (idle timeout, the popup, another tab), the page learns it from
 * storage.session at once and drops to the unlock screen, unmounting every revealed value and
 * exported text, instead of leaving plaintext on screen until someone clicks.
 */
export function useVaultStatus(initial?: VaultStatus) {
  const [status, setStatus] = useState<VaultStatus | null>(initial ?? null);
  const refresh = useCallback(async () => setStatus(await call('vault.status')), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribed once; `initial` only decides the first read.
  useEffect(() => {
    if (!initial) void refresh();
    const onChanged = (changes: Record<string, { newValue?: unknown }>) => {
      const mark = changes[UNLOCKED_SESSION_KEY];
      if (mark && mark.newValue === undefined) setStatus((s) => (s ? { ...s, unlocked: false } : s));
    };
    browser.storage.session.onChanged.addListener(onChanged);
    return () => browser.storage.session.onChanged.removeListener(onChanged);
    // `initial` only seeds the first render.
  }, [refresh]);
  return { status, refresh };
}
