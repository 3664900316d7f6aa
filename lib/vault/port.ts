// The one door the vault opens to sync (docs/architecture.md, "Sync"). Sync's operations over the
// vault's records (lib/sync/local.ts) run through it, in the vault's queue beside every other
// operation, with the vault's context: its database (records by kind in the safe, environment,
// secret and override stores, the outbox and conflicts, the link and cursor in `sync`), the clock and
// the unlocked keys. The vault itself names no sync operation and imports nothing of lib/sync.
import type { VaultContext } from './context';

/** Work run with the vault's context; it opens its own transactions (`ctx.db.transaction`). */
export type PortWork<R> = (ctx: VaultContext) => Promise<R>;

export interface VaultPort {
  /** At once, beside anything else: reads only. */
  read<R>(work: PortWork<R>): Promise<R>;
  /** After every earlier write, rerun when another writer committed the same environment's index (RetrySignal). */
  write<R>(work: PortWork<R>): Promise<R>;
  /** After every earlier write, alone: key and account changes, the outbox's bookkeeping. */
  exclusive<R>(work: PortWork<R>): Promise<R>;
}
