import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { FillWarning } from '../../lib/autofill/types';
import type { SelectionView } from '../../lib/selection/types';
import type { SearchHit } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { warningText } from '../vault/SiteSecrets';
import { outcomeText } from './SelectionApp';

/** Picks a secret (this site's first, then any by search) and inserts its value at the caret. */
export function InsertSecret({ jobId, view }: { jobId: string; view: SelectionView }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<SearchHit[]>([]);
  const [pending, setPending] = useState<{ hit: SearchHit; warnings: FillWarning[] }>();
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (!query.trim()) return setFound([]);
    let current = true;
    call('vault.search', { query: query.trim(), limit: 20 }).then((r) => current && setFound(r.hits), () => undefined);
    return () => void (current = false);
  }, [query]);

  async function insert(hit: SearchHit, confirmed: FillWarning[] = []) {
    setPending(undefined);
    try {
      const outcome = await call('selection.insert', { jobId, secretId: hit.id, confirmed });
      if (outcome.done === 'confirm') setPending({ hit, warnings: outcome.confirm });
      else setMessage(outcomeText(outcome));
    } catch (error) {
      setMessage(errorMessage(error));
    }
  }

  if (view.refused || !view.editable) return <p role="alert" className="field-error">{t('errFillForbiddenPage')}</p>;
  const shown = query.trim() ? found : view.site;
  return (
    <section aria-label={t('selectionInsertTitle')}>
      <h2>{t('selectionInsertTitle')}</h2>
      <input type="search" aria-label={t('searchLabel')} placeholder={t('searchPlaceholder')} autoFocus value={query} onChange={(e) => setQuery(e.target.value)} />
      {!query.trim() && view.site.length > 0 && <p className="muted">{t('thisSite', view.origin)}</p>}
      <ul className="pick-list">
        {shown.map((hit) => (
          <li key={hit.id} className="row site-row">
            <span className="mono key">{hit.key}</span>
            <span className={hit.protected ? 'muted where protected' : 'muted where'}>{hit.safeName} · {hit.envName}</span>
            <button type="button" onClick={() => void insert(hit)} aria-label={t('insertKey', hit.key)}>{t('insert')}</button>
          </li>
        ))}
      </ul>
      {pending && (
        <div role="alertdialog" aria-label={t('insertConfirmTitle', pending.hit.key)} className="fill-confirm">
          <p>{t('insertConfirmTitle', pending.hit.key)}</p>
          <ul>
            {pending.warnings.map((w) => <li key={JSON.stringify(w)} className={w.kind === 'protected' ? 'badge-protected' : undefined}>{warningText(w)}</li>)}
          </ul>
          <div className="row">
            <button type="button" onClick={() => void insert(pending.hit, pending.warnings)}>{t('insertAnyway')}</button>
            <button type="button" onClick={() => setPending(undefined)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      <p role="status">{message}</p>
    </section>
  );
}
