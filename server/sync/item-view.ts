import type { items } from '../db/schema';

/** An item as the API shows it: ids, revision and opaque ciphertext, nothing in the clear. */
export interface ItemView {
  id: string;
  safe_id: string;
  kind: string;
  revision: number;
  deleted: boolean;
  ciphertext: Record<string, string>;
  updated_at: string;
}

export function itemView(row: typeof items.$inferSelect): ItemView {
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
