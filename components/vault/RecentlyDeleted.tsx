import { useCallback, useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { DamagedItem, DeletedSecret } from '../../lib/vault/types';
import { FormError } from '../ui/Field';
import { errorMessage } from '../ui/field-errors';
import { t, uiLanguage } from '../ui/i18n';

const when = (at: number) => new Date(at).toLocaleString(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
const whereOf = (d: DeletedSecret) => `${d.safeName} · ${d.envName} · ${d.path}`;

/**
 * Secrets deleted in the last 30 days, on any device of the account, each with *Bring back* and
 * *Delete forever* (asked first: it cannot be undone, and it frees the account's room on the server).
 */
export function RecentlyDeleted({ onBack, onRestored }: { onBack: () => void; onRestored: (d: DeletedSecret) => void }) {
  const [items, setItems] = useState<(DeletedSecret | DamagedItem)[] | null>(null);
  const [error, setError] = useState('');
  const [erasing, setErasing] = useState<DeletedSecret | null>(null);
  const [done, setDone] = useState('');
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
              </button>{' '}
              <button
                type="button"
                className="danger"
                aria-label={t('deleteForeverSecret', d.key)}
                onClick={() => {
                  setError('');
                  setDone('');
                  setErasing(d);
                }}
              >
                {t('deleteForever')}
              </button>
            </li>
          ),
        )}
      </ul>
      {erasing && (
        <div role="alertdialog" aria-label={t('deleteForeverSecret', erasing.key)} className="confirm">
          <p>{t('confirmDeleteForever', erasing.key)}</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              autoFocus
              onClick={async () => {
                const d = erasing;
                setErasing(null);
                try {
                  await call('vault.deleteForever', { id: d.id });
                  setDone(t('deletedForever', d.key));
                } catch (err) {
                  setError(errorMessage(err));
                }
                await load();
              }}
            >
              {t('deleteForever')}
            </button>
            <button type="button" onClick={() => setErasing(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {done && <p role="status">{done}</p>}
      <FormError message={error} />
    </section>
  );
}
