import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Row } from '../../lib/secret-search';
import type { SecretSummary } from '../../lib/vault/types';
import { t, uiLanguage } from '../ui/i18n';

interface SecretListProps {
  id: string;
  rows: Row[];
  activeId: string | undefined;
  onOpen: (item: SecretSummary) => void;
  onDeleteDamaged: (id: string) => void;
  /** What to say when there are no rows. */
  emptyMessage: string;
  /** The query these rows answer ('' when browsing, null while the first answer is awaited); on the list as data-query. */
  shownQuery?: string | null;
  /** How many secrets matched in all, when a search shows only the first of them. */
  total?: number | undefined;
}

export const optionId = (listId: string, secretId: string) => `${listId}-${secretId}`;

/**
 * Secrets as a listbox (one environment browsed, or a search's hits), virtualised so 10,000 rows cost as little as 20.
 * Focus stays in the search box; it points at the active option with aria-activedescendant.
 */
export function SecretList({ id, rows, activeId, onOpen, onDeleteDamaged, emptyMessage, shownQuery = '', total }: SecretListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]!.kind === 'heading' ? 24 : 32),
    overscan: 8,
    // The list's box is fixed (.secret-scroll: 340 px high), so the first render already holds the
    // rows instead of waiting a frame to measure an empty scroller.
    initialRect: { width: 376, height: 340 },
  });

  useEffect(() => {
    const index = rows.findIndex((r) => r.kind === 'secret' && r.item.id === activeId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [activeId, rows, virtualizer]);

  if (!rows.length)
    return (
      <p className="empty" role="status" data-query={shownQuery ?? undefined}>
        {emptyMessage}
      </p>
    );
  const shown = rows.reduce((n, r) => n + (r.kind === 'secret' ? 1 : 0), 0);
  return (
    <div ref={scroller} className="secret-scroll" data-query={shownQuery ?? undefined}>
      {total !== undefined && total > shown && (
        <p className="muted" role="status">
          {t('firstMatches', shown, total.toLocaleString(uiLanguage()))}
        </p>
      )}
      <div id={id} role="listbox" aria-label={t('secretsLabel')} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` };
          if (row.kind === 'heading') {
            return (
              <div
                key={`heading:${v.index}:${row.text}`}
                role="presentation"
                className={row.protected ? 'path-row protected' : 'path-row'}
                style={style}
              >
                {row.text}
                {row.protected && <span className="tag protected">{t('protectedTag')}</span>}
              </div>
            );
          }
          if (row.kind === 'damaged') {
            return (
              // biome-ignore lint/a11y/useFocusableInteractive: options of an aria-activedescendant listbox are not focused themselves (WAI-ARIA APG, listbox).
              <div key={row.id} role="option" aria-selected={false} aria-disabled className="secret-row damaged" style={style}>
                <span>⚠ {t('errSecretDamaged')}</span>
                <button type="button" onClick={() => onDeleteDamaged(row.id)} aria-label={t('deleteDamaged')}>
                  {t('delete')}
                </button>
              </div>
            );
          }
          const { item, where } = row;
          return (
            // biome-ignore lint/a11y/useFocusableInteractive: options of an aria-activedescendant listbox are not focused themselves (WAI-ARIA APG, listbox).
            // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox's own keydown handler opens the active option (Enter).
            <div
              key={item.id}
              id={optionId(id, item.id)}
              role="option"
              aria-selected={item.id === activeId}
              className="secret-row"
              style={style}
              onClick={() => onOpen(item)}
            >
              <span className="mono key">{item.key}</span>
              {where && where.path !== '/' && <span className="muted where">{where.path}</span>}
              {item.overridden && <span className="tag override">{t('overrideTag')}</span>}
              {item.conflict && <span className="tag conflict">{t('conflictTag')}</span>}
              {item.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
