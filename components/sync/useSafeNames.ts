import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../lib/sync/engine';
import { call } from '../../adapters/messenger';
import type { SafeNames } from './status-text';

/**
 * The names of the safes and environments a manifest finding speaks of, opened by the background
 * when there is one: the status carries ids only (it sits in storage.session, which keeps no name).
 */
export function useSafeNames(status: SyncStatus | undefined): SafeNames {
  const [names, setNames] = useState<SafeNames>(new Map());
  const wanted = (status?.manifest ?? []).map((f) => `${f.safeId}/${f.envId}`).join(',');
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    call('vault.listSafes').then(
      (safes) => {
        if (!live) return;
        setNames(new Map(safes.map((s) => [s.id, { name: s.name, environments: new Map(s.environments.map((e) => [e.id, e.name])) }])));
      },
      () => undefined, // locked meanwhile: the line says the count without names
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return names;
}
