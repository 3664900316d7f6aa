import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { FillAnswer, FillWarning, FocusReason } from '../../lib/autofill/types';
import type { SearchHit } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { AskFirst, PickRow } from './AskFirst';
import { FillRefused } from './FillRefused';

/** A fill waiting for the user's yes: the secret and what they are asked to accept, about which form routes. */
interface Pending {
  hit: SearchHit;
  warnings: FillWarning[];
  form: string;
  /** The offered field the user chose, kept while they are asked. */
  instead?: string;
}

/** A fill refused where the user's focus is, with the field offered instead. */
interface Refused {
  hit: SearchHit;
  reason: FocusReason;
  offer?: string;
}

/**
 * "This site": the secrets whose websites include the page the popup was opened on, each with
 * Fill. The page never sees this list; a fill goes only where the background allows it.
 */
export function SiteSecrets({
  onMessage,
  onFound,
  fillFirst,
}: {
  onMessage: (text: string) => void;
  /** Called once it knows whether the page has secrets to offer. */
  onFound: (found: boolean) => void;
  /** A new object asks to fill the first secret. */
  fillFirst?: object;
}) {
  const [site, setSite] = useState<{ origin: string; hits: SearchHit[] }>();
  const [pending, setPending] = useState<Pending>();
  const [refused, setRefused] = useState<Refused>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: asked once per popup opening, for the tab it opened on.
  useEffect(() => {
    call('fill.site')
      .then(({ origin, hits }) => {
        if (origin && hits.length > 0) setSite({ origin, hits });
        onFound(origin !== null && hits.length > 0);
      })
      .catch(() => undefined);
  }, []);

  async function fill(hit: SearchHit, answer: FillAnswer = {}) {
    setPending(undefined);
    setRefused(undefined);
    try {
      const outcome = await call('fill.fill', {
        id: hit.id,
        confirmed: [...(answer.confirmed ?? [])],
        ...(answer.form !== undefined ? { form: answer.form } : {}),
        ...(answer.instead !== undefined ? { instead: answer.instead } : {}),
      });
      if (outcome.filled) onMessage(t('filledKey', hit.key));
      else if ('refused' in outcome) setRefused({ hit, reason: outcome.refused, ...(outcome.offer ? { offer: outcome.offer } : {}) });
      else
        setPending({
          hit,
          warnings: outcome.confirm,
          form: outcome.form,
          ...(answer.instead !== undefined ? { instead: answer.instead } : {}),
        });
    } catch (error) {
      onMessage(errorMessage(error));
    }
  }

  // Enter in the empty search box fills the first of them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when Enter asks for a fill, not when the list or the handler change.
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
          onConfirm={() =>
            void fill(pending.hit, {
              confirmed: pending.warnings,
              form: pending.form,
              ...(pending.instead !== undefined ? { instead: pending.instead } : {}),
            })
          }
          onCancel={() => setPending(undefined)}
        />
      )}
      {refused && (
        <FillRefused
          keyName={refused.hit.key}
          reason={refused.reason}
          {...(refused.offer ? { offer: refused.offer } : {})}
          onFill={() => void fill(refused.hit, { instead: refused.offer! })}
          onCancel={() => setRefused(undefined)}
        />
      )}
    </section>
  );
}
