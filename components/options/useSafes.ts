import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SafeSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { useLockAware } from './lock-context';

/** The vault's safes with their environments; damaged ones are left out (they cannot be used). */
export function useSafes() {
  const lockAware = useLockAware();
  const [safes, setSafes] = useState<SafeSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    lockAware(call('vault.listSafes')).then(
      (list) => live && setSafes(list.filter((s) => !s.error)),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [lockAware]);
  return { safes, error };
}
