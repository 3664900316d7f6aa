import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SearchHit } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';

/** Where a secret lives, as a list shows it: safe · environment · path. */
export const whereOf = (hit: SearchHit) => `${hit.safeName} · ${hit.envName} · ${hit.path}`;

/** The secrets whose values reference this one (read from names in memory, never from values). */
export function UsedBy({ id, version }: { id: string; version: string }) {
  const [users, setUsers] = useState<SearchHit[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger: the secret was saved, so who uses it may have changed.
  useEffect(() => {
    let live = true;
    call('vault.usedBy', { id }).then(
      (hits) => live && setUsers(hits),
      () => live && setUsers([]),
    );
    return () => {
      live = false;
    };
  }, [id, version]);
  if (users.length === 0) return null;
  return (
    <section aria-label={t('usedByLabel')}>
      <h3>{t('usedByLabel')}</h3>
      <ul className="used-by">
        {users.map((u) => (
          <li key={u.id}>
            <span className="mono">{u.key}</span> <span className="muted">{whereOf(u)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * After a rename or move: the secrets that referenced the old name break until their references
 * are updated. Says so, names them, and offers to update them.
 */
export function ReferrersPrompt({
  id,
  from,
  users,
  onDone,
}: {
  id: string;
  from: { key: string; path: string };
  users: SearchHit[];
  onDone: (message: string) => void;
}) {
  const [error, setError] = useState('');
  return (
    <div role="alertdialog" aria-label={t('referrersTitle')} className="confirm">
      <p>{t('referrersText', from.key, from.path, users.length)}</p>
      <ul className="used-by">
        {users.map((u) => (
          <li key={u.id}>
            <span className="mono">{u.key}</span> <span className="muted">{whereOf(u)}</span>
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="primary"
          autoFocus
          onClick={async () => {
            try {
              const changed = await call('vault.updateReferrers', { id, from });
              onDone(t('referrersUpdated', changed));
            } catch (err) {
              setError(errorMessage(err));
            }
          }}
        >
          {t('updateReferrers')}
        </button>
        <button type="button" onClick={() => onDone('')}>
          {t('leaveReferrers')}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
