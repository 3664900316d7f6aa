import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { FillWarning } from '../../lib/autofill/types';
import type { SelectionView } from '../../lib/selection/types';
import type { SearchHit } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { AskFirst, PickRow } from '../vault/AskFirst';
import { outcomeText } from './outcome-text';

/** Picks a secret (this site's first, then any by search) and inserts its value at the caret. */
export function InsertSecret({ jobId, view }: { jobId: string; view: SelectionView }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<SearchHit[]>([]);
  const [pending, setPending] = useState<{ hit: SearchHit; warnings: FillWarning[] }>();
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (!query.trim()) return setFound([]);
    let current = true;
    call('vault.search', { query: query.trim(), limit: 20 }).then(
      (r) => current && setFound(r.hits),
      () => undefined,
    );
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

  if (view.refused || !view.editable)
    return (
      <p role="alert" className="field-error">
        {t('errFillForbiddenPage')}
      </p>
    );
  const shown = query.trim() ? found : view.site;
  return (
    <section aria-label={t('selectionInsertTitle')}>
      <h2>{t('selectionInsertTitle')}</h2>
      <input
        type="search"
        aria-label={t('searchLabel')}
        placeholder={t('searchPlaceholder')}
        autoFocus
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {!query.trim() && view.site.length > 0 && <p className="muted">{t('thisSite', view.origin)}</p>}
      <ul className="pick-list">
        {shown.map((hit) => (
          <PickRow key={hit.id} hit={hit} label={t('insertKey', hit.key)} action={t('insert')} onPick={() => void insert(hit)} />
        ))}
      </ul>
      {pending && (
        <AskFirst
          title={t('insertConfirmTitle', pending.hit.key)}
          warnings={pending.warnings}
          confirm={t('insertAnyway')}
          onConfirm={() => void insert(pending.hit, pending.warnings)}
          onCancel={() => setPending(undefined)}
        />
      )}
      <p role="status">{message}</p>
    </section>
  );
}
