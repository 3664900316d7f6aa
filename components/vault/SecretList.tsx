import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Row } from '../../lib/secret-search';
import type { SecretSummary } from '../../lib/vault/types';

interface SecretListProps {
  id: string;
  rows: Row[];
  activeId: string | undefined;
  onOpen: (item: SecretSummary) => void;
  onDeleteDamaged: (id: string) => void;
  /** What to say when there are no rows. */
  emptyMessage: string;
}

export const optionId = (listId: string, secretId: string) => `${listId}-${secretId}`;

/**
 * The secrets of one environment as a listbox, virtualised so 10,000 rows cost as little as 20.
 * Focus stays in the search box; it points at the active option with aria-activedescendant.
 */
export function SecretList({ id, rows, activeId, onOpen, onDeleteDamaged, emptyMessage }: SecretListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]!.kind === 'path' ? 24 : 32),
    overscan: 8,
  });

  useEffect(() => {
    const index = rows.findIndex((r) => r.kind === 'secret' && r.item.id === activeId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [activeId, rows, virtualizer]);

  if (!rows.length) return <p className="empty" role="status">{emptyMessage}</p>;
  return (
    <div ref={scroller} className="secret-scroll">
      <div id={id} role="listbox" aria-label="Secrets" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` };
          if (row.kind === 'path') {
            return <div key={`path:${row.path}`} role="presentation" className="path-row" style={style}>{row.path}</div>;
          }
          if (row.kind === 'damaged') {
            return (
              <div key={row.id} role="option" aria-selected={false} aria-disabled className="secret-row damaged" style={style}>
                <span>⚠ {row.error}</span>
                <button type="button" onClick={() => onDeleteDamaged(row.id)} aria-label="Delete damaged secret">Delete</button>
              </div>
            );
          }
          const { item } = row;
          return (
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
              {item.overridden && <span className="tag override">override</span>}
              {item.tags.map((t) => <span key={t} className="tag">{t}</span>)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
