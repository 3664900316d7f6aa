// Sync's operations over this device's records, each named once with how it runs beside the vault's
// own (read, write, exclusive: docs/architecture.md, "Writes beside each other"), all through the
// one door the vault opens (lib/vault/port.ts). The engine drives them; the background and pages
// reach conflicts through them. Each is the module function of the same name (its doc comment is there).
import type { VaultContext } from '../vault/context';
import type { VaultPort } from '../vault/port';
import * as account from './account-link';
import { marksSent, marksToSend } from './conflict-marks';
import { listConflicts, resolveConflict } from './conflicts';
import { checkManifests, manifestsSent, manifestsToSend, noteWritten } from './manifest-store';
import { acknowledge, markRefused, noteSent, outgoing, queueEverything, safeDeleted, syncCounts } from './outbound';
import { answerWipe, pendingWipe, pruneAfterSnapshot } from './prune';
import { takeIn } from './take-in';
import { takeEarlierVersions } from '../vault/secret-versions';

type Operation<A extends unknown[], R> = (ctx: VaultContext, ...args: A) => Promise<R>;

export function localSync(port: VaultPort) {
  const read =
    <A extends unknown[], R>(op: Operation<A, R>) =>
    (...args: A) =>
      port.read((ctx) => op(ctx, ...args));
  const write =
    <A extends unknown[], R>(op: Operation<A, R>) =>
    (...args: A) =>
      port.write((ctx) => op(ctx, ...args));
  const exclusive =
    <A extends unknown[], R>(op: Operation<A, R>) =>
    (...args: A) =>
      port.exclusive((ctx) => op(ctx, ...args));

  return {
    // The account and its link (account-link.ts)
    registration: exclusive(account.registration),
    joinAccount: exclusive(account.joinAccount),
    getSyncLink: read(account.getSyncLink),
    setSyncLink: exclusive(account.setSyncLink),
    unlink: exclusive(account.unlink),
    // The outbox (outbound.ts)
    queueEverything: exclusive(queueEverything),
    outgoing: read(outgoing),
    syncCounts: read(syncCounts),
    noteSent: exclusive(noteSent),
    acknowledge: exclusive(acknowledge),
    safeDeleted: exclusive(safeDeleted),
    markRefused: exclusive(markRefused),
    // What the server sends (take-in.ts), conflict marks (conflict-marks.ts) and manifests (manifest-store.ts)
    applyRemote: write(takeIn),
    marksToSend: read(marksToSend),
    marksSent: exclusive(marksSent),
    noteWritten: exclusive(noteWritten),
    manifestsToSend: read(manifestsToSend),
    manifestsSent: exclusive(manifestsSent),
    checkManifests: exclusive(checkManifests),
    // A full resync's question (prune.ts) and the user's choices in a conflict (conflicts.ts)
    pruneAfterSnapshot: write(pruneAfterSnapshot),
    pendingWipe: read(pendingWipe),
    answerWipe: write(answerWipe),
    listConflicts: read(listConflicts),
    resolveConflict: write(resolveConflict),
    // Earlier versions a server kept, into this device's history (lib/vault/secret-versions.ts)
    takeEarlierVersions: write(takeEarlierVersions),
  };
}

export type LocalSync = ReturnType<typeof localSync>;
