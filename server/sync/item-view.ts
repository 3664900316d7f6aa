import type { WireItem } from '../../lib/sync/wire';
import type { items } from '../db/schema';

/** An item as the API shows it (the wire contract's item): ids, revision and opaque ciphertext, nothing in the clear. */
export function itemView(
  row: Pick<typeof items.$inferSelect, 'id' | 'safeId' | 'kind' | 'revision' | 'deleted' | 'ciphertext' | 'updatedAt'>,
): WireItem {
  return {
    id: row.id,
    safe_id: row.safeId,
    kind: row.kind,
    revision: row.revision,
    deleted: row.deleted,
    ciphertext: row.ciphertext,
    updated_at: row.updatedAt.toISOString(),
  };
}
