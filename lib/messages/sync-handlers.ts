// The sync requests: each runs the engine (lib/sync/engine.ts; conflicts through its local operations,
// lib/sync/local.ts) or a vault operation, and tells the background when a change should be sent soon.
import type { SyncEngine } from '../sync/engine';
import { msg } from '../i18n';
import { invalid, VaultError } from '../vault/errors';
import type { Vault } from '../vault/vault';
import type { Handlers } from './dispatch';
import type { RequestType } from './protocol';

/** Requests after which the vault should sync soon: a local change, an unlock, a page opening. */
export const SYNC_TRIGGERS: ReadonlySet<RequestType> = new Set<RequestType>([
  'vault.open',
  'vault.unlock',
  'vault.create',
  'vault.update',
  'vault.delete',
  'vault.deleteById',
  'vault.restoreVersion',
  'vault.restoreDeleted',
  'vault.deleteForever',
  'vault.importDotenv',
  'import.apply',
  'vault.createSafe',
  'vault.createEnvironment',
  'vault.renameSafe',
  'vault.deleteSafe',
  'vault.updateEnvironment',
  'vault.deleteEnvironment',
  'vault.updateReferrers',
]);

export interface SyncHooks {
  /** A vault came into being unlocked (second-device sign-in): start the idle timer as after an unlock. */
  unlocked(): Promise<void>;
  /** The vault was erased on sign-out: as after a lock. */
  locked(): Promise<void>;
  /** Something changed that should reach the server soon (debounced by the caller). */
  changed(): void;
}

type SyncHandlers = Pick<
  Handlers,
  | 'sync.status'
  | 'sync.createAccount'
  | 'sync.signIn'
  | 'sync.now'
  | 'sync.signOut'
  | 'sync.adoptPassword'
  | 'sync.deleteAccount'
  | 'sync.earlierVersions'
  | 'sync.conflicts'
  | 'sync.resolve'
  | 'sync.wipe'
>;

export function createSyncHandlers(vault: Vault, engine: SyncEngine, hooks: SyncHooks): SyncHandlers {
  return {
    'sync.status': () => engine.status(),
    'sync.createAccount': ({ serverUrl, email, masterPassword }) => engine.createAccount({ serverUrl, email, masterPassword }),
    'sync.signIn': async ({ serverUrl, email, masterPassword, safeName }) => {
      const status = engine.signIn({ serverUrl, email, masterPassword, ...(safeName ? { safeName } : {}) });
      // The vault exists and is unlocked as soon as the account's key opened; the pull may still fail.
      try {
        return await status;
      } finally {
        if (await vault.isUnlocked()) await hooks.unlocked();
      }
    },
    'sync.now': (data) => engine.syncNow({ scheduled: data?.scheduled === true }),
    'sync.signOut': async (data) => {
      if (data?.removeLocal === true) {
        if (typeof data.masterPassword !== 'string' || data.masterPassword === '')
          throw invalid('masterPassword', 'errEnterMasterPassword');
        await vault.verifyMasterPassword(data.masterPassword);
        await engine.signOut();
        await vault.erase();
        await hooks.locked();
        return;
      }
      await engine.signOut();
    },
    'sync.adoptPassword': ({ masterPassword }) => engine.adoptNewPassword(masterPassword),
    'sync.deleteAccount': ({ masterPassword }) => engine.deleteAccount(masterPassword),
    'sync.earlierVersions': async ({ id }) => {
      if (typeof id !== 'string') throw new VaultError('not_found', msg('errSecretGone'));
      // The local history is shown already; a server that cannot be asked now only means fewer versions.
      return engine.earlierVersions(id).catch((error: unknown) => {
        if (error instanceof VaultError) throw error;
        return { unavailable: true as const };
      });
    },
    'sync.conflicts': () => engine.local.listConflicts(),
    'sync.resolve': async ({ id, choice }) => {
      if (choice !== 'mine' && choice !== 'theirs' && choice !== 'both') throw invalid('choice', 'errConflictChoice');
      await engine.local.resolveConflict(id, choice);
      hooks.changed();
    },
    'sync.wipe': ({ keep }) => {
      if (typeof keep !== 'boolean') throw invalid('keep', 'errWipeAnswer');
      return engine.answerWipe(keep);
    },
  };
}
