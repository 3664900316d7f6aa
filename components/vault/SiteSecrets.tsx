import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { FillWarning } from '../../lib/autofill/types';
import type { SearchHit } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { AskFirst, PickRow } from './AskFirst';

/** A fill waiting for the user's yes: the secret and what they are asked to accept. */
interface Pending {
  hit: SearchHit;
  warnings: FillWarning[];
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
          <PickRow key={hit.id} hit={hit} label={t('fillKey', hit.key)} action={t('fill')} onPick={() => void fill(hit)} />
        ))}
      </ul>
      {pending && (
        <AskFirst
          title={t('fillConfirmTitle', pending.hit.key)}
          warnings={pending.warnings}
          confirm={t('fillAnyway')}
          onConfirm={() => void fill(pending.hit, pending.warnings)}
          onCancel={() => setPending(undefined)}
        />
      )}
    </section>
  );
}
