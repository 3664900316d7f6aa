import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { FillWarning } from '../../lib/autofill/types';
import type { SearchHit } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';

/** A fill waiting for the user's yes: the secret and what they are asked to accept. */
interface Pending {
  hit: SearchHit;
  warnings: FillWarning[];
}

export function warningText(w: FillWarning): string {
  if (w.kind === 'protected') return t('fillWarnProtected', w.envName);
  if (w.kind === 'insecure') return t('fillWarnInsecure', w.origin);
  if (w.kind === 'other-site') return t('fillWarnOtherSite', w.origin);
  return t('fillWarnFormElsewhere', w.origin);
}

/**
 * "This site": the secrets whose websites include the page the popup was opened on, each with
 * Fill. The page never sees this list; a fill goes only where the background allows it.
 */
export function SiteSecrets({ onMessage, onFound, fillFirst }: {
  onMessage: (text: string) => void;
  /** Called once it knows whether the page has secrets to offer. */
  onFound: (found: boolean) => void;
  /** A new object asks to fill the first secret. */
  fillFirst?: object;
}) {
  const [site, setSite] = useState<{ origin: string; hits: SearchHit[] }>();
  const [pending, setPending] = useState<Pending>();

  useEffect(() => {
    call('fill.site')
      .then(({ origin, hits }) => {
        if (origin && hits.length > 0) setSite({ origin, hits });
        onFound(origin !== null && hits.length > 0);
      })
      .catch(() => undefined);
  }, []);

  async function fill(hit: SearchHit, confirmed: FillWarning[] = []) {
    setPending(undefined);
    try {
      const outcome = await call('fill.fill', { id: hit.id, confirmed });
      if (outcome.filled) onMessage(t('filledKey', hit.key));
      else setPending({ hit, warnings: outcome.confirm });
    } catch (error) {
      onMessage(errorMessage(error));
    }
  }

  // Enter in the empty search box fills the first of them.
  useEffect(() => {
    if (fillFirst && site?.hits[0]) void fill(site.hits[0]);
  }, [fillFirst]);

  if (!site) return null;
  return (
    <section className="site-secrets" aria-label={t('thisSiteLabel', site.origin)}>
      <h2 className="muted">{t('thisSite', site.origin)}</h2>
      <ul>
        {site.hits.map((hit) => (
          <li key={hit.id} className="row site-row">
            <span className="mono key">{hit.key}</span>
            <span className={hit.protected ? 'muted where protected' : 'muted where'}>
              {hit.safeName} · {hit.envName}
            </span>
            <button type="button" onClick={() => void fill(hit)} aria-label={t('fillKey', hit.key)}>{t('fill')}</button>
          </li>
        ))}
      </ul>
      {pending && (
        <div role="alertdialog" aria-label={t('fillConfirmTitle', pending.hit.key)} className="fill-confirm">
          <p>{t('fillConfirmTitle', pending.hit.key)}</p>
          <ul>
            {pending.warnings.map((w) => (
              <li key={JSON.stringify(w)} className={w.kind === 'protected' ? 'badge-protected' : undefined}>{warningText(w)}</li>
            ))}
          </ul>
          <div className="row">
            <button type="button" onClick={() => void fill(pending.hit, pending.warnings)}>{t('fillAnyway')}</button>
            <button type="button" onClick={() => setPending(undefined)}>{t('cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
