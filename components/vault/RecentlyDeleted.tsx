import { useCallback, useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { DamagedItem, DeletedSecret } from '../../lib/vault/types';
import { FormError } from '../ui/Field';
import { errorMessage } from '../ui/field-errors';
import { t, uiLanguage } from '../ui/i18n';

const when = (at: number) => new Date(at).toLocaleString(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
const whereOf = (d: DeletedSecret) => `${d.safeName} · ${d.envName} · ${d.path}`;

/** Secrets deleted in the last 30 days, on any device of the account, each with *Bring back*. */
export function RecentlyDeleted({ onBack, onRestored }: { onBack: () => void; onRestored: (d: DeletedSecret) => void }) {
  const [items, setItems] = useState<(DeletedSecret | DamagedItem)[] | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    try {
      setItems(await call('vault.recentlyDeleted'));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-label={t('recentlyDeleted')} className="detail">
      <div className="row">
        <button type="button" onClick={onBack} aria-label={t('backToList')}>
          ←
        </button>
        <h2>{t('recentlyDeleted')}</h2>
      </div>
      <p className="muted">{t('recentlyDeletedHint')}</p>
      {items?.length === 0 && <p>{t('recentlyDeletedNone')}</p>}
      <ul className="trash">
        {items?.map((d) =>
          'error' in d ? (
            <li key={d.id} role="alert">
              {d.error}
            </li>
          ) : (
            <li key={d.id}>
              <span className="mono">{d.key}</span> <span className="muted">{whereOf(d)}</span>
              <br />
              <span className="muted">{t('recentlyDeletedAt', when(d.deletedAt))}</span>{' '}
              <button
                type="button"
                aria-label={t('bringBackSecret', d.key)}
                onClick={async () => {
                  setError('');
                  try {
                    await call('vault.restoreDeleted', { id: d.id });
                    onRestored(d);
                  } catch (err) {
                    setError(errorMessage(err));
                  }
                }}
              >
                {t('bringBack')}
              </button>
            </li>
          ),
        )}
      </ul>
      <FormError message={error} />
    </section>
  );
}
