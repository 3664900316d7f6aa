import { useState } from 'react';
import { call } from '../../adapters/messenger';
import type { Author, SecretHistory } from '../../lib/vault/types';
import { FormError } from '../ui/Field';
import { errorMessage } from '../ui/field-errors';
import { t, uiLanguage } from '../ui/i18n';

const when = (at: number | undefined) =>
  at === undefined ? '—' : new Date(at).toLocaleString(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
const device = (by: Author | undefined) => (by?.device ? by.device : t('historyUnknownDevice'));

/**
 * A secret's earlier versions, newest first, each with Reveal and Restore. Restore writes a new
 * version (the current one goes into the history); nothing in the history is ever rewritten.
 */
export function HistoryPanel({ id, secretKey, path, onRestored }: { id: string; secretKey: string; path: string; onRestored: () => void }) {
  const [history, setHistory] = useState<SecretHistory | null>(null);
  const [values, setValues] = useState<Record<number, string>>({});
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  async function run(action: () => Promise<void>) {
    setError('');
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const [fromServer, setFromServer] = useState<'unavailable' | { refused: number } | null>(null);
  const load = async () => setHistory(await call('vault.history', { id }));
  /**
   * This device's history at once, then the versions the sync server kept that it lacks (a device
   * keeps only the versions it held), shown when they arrive.
   */
  const open = async () => {
    await load();
    const answer = await call('sync.earlierVersions', { id }).catch(() => ({ unavailable: true as const }));
    if (answer === undefined) return;
    if ('unavailable' in answer) return setFromServer('unavailable');
    if (answer.added > 0) await load();
    setFromServer({ refused: answer.refused });
  };

  return (
    <section aria-label={t('historyLabel')}>
      <button
        type="button"
        aria-expanded={history !== null}
        onClick={() =>
          run(async () => {
            if (history) {
              setHistory(null);
              setValues({});
              setFromServer(null);
            } else await open();
          })
        }
      >
        {history ? t('historyHide') : t('historyShow')}
      </button>
      {history && (
        <section aria-label={t('historyRegion', secretKey)}>
          <p className="muted">{t('historyCurrent', history.current.ver, when(history.current.at), device(history.current.by))}</p>
          {history.damaged && <p role="alert">{t('historyDamaged')}</p>}
          {fromServer !== null && fromServer !== 'unavailable' && fromServer.refused > 0 && (
            <p role="alert">{t('historyServerRefused', fromServer.refused)}</p>
          )}
          {fromServer === 'unavailable' && <p className="muted">{t('historyServerUnavailable')}</p>}
          {history.versions.length === 0 && !history.damaged && <p className="muted">{t('historyNone')}</p>}
          <ul className="history">
            {history.versions.map((v) => (
              <li key={v.ver}>
                <p>
                  {t('historyVersion', v.ver, when(v.at), device(v.by))}
                  {(v.key !== secretKey || v.path !== path) && (
                    <>
                      {' '}
                      <span className="mono">
                        {v.path} {v.key}
                      </span>
                    </>
                  )}
                </p>
                <div className="row">
                  {values[v.ver] !== undefined && (
                    <output aria-label={t('historyVersionValue', v.ver)} className="mono value">
                      {values[v.ver]}
                    </output>
                  )}
                  <button
                    type="button"
                    aria-label={values[v.ver] === undefined ? t('historyRevealVersion', v.ver) : undefined}
                    onClick={() =>
                      run(async () => {
                        if (values[v.ver] !== undefined) {
                          const { [v.ver]: _hidden, ...rest } = values;
                          setValues(rest);
                          return;
                        }
                        const { value } = await call('vault.revealVersion', { id, ver: v.ver });
                        setValues((shown) => ({ ...shown, [v.ver]: value }));
                      })
                    }
                  >
                    {values[v.ver] === undefined ? t('reveal') : t('hide')}
                  </button>
                  <button
                    type="button"
                    aria-label={t('historyRestoreVersion', v.ver)}
                    onClick={() =>
                      run(async () => {
                        await call('vault.restoreVersion', { id, ver: v.ver });
                        setValues({});
                        await load();
                        setMessage(t('historyRestored', v.ver));
                        onRestored();
                      })
                    }
                  >
                    {t('historyRestore')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
    </section>
  );
}
