// The right-click menu's requests from Keysmith's window: encrypt, decrypt or insert at a selection.
import { allConfirmed } from '../autofill/choose-frame';
import { matchesAny } from '../autofill/sites';
import type { FillWarning } from '../autofill/types';
import { isCryptoError } from '../crypto/errors';
import { msg } from '../i18n';
import { findToolkitJson, toToolkitJson } from '../selection/toolkit-json';
import type { SelectionJob, SelectionOutcome, SelectionView } from '../selection/types';
import { decrypt } from '../toolkit-ops/decrypt';
import { encrypt } from '../toolkit-ops/encrypt';
import { VaultError } from '../vault/errors';
import { checkEncryptionKey } from '../vault/validate';
import type { Vault } from '../vault/vault';
import type { Handlers } from './dispatch';

/** The browser side: the jobs the menu made, and the page they came from. */
export interface SelectionHooks {
  job(id: string): Promise<SelectionJob | undefined>;
  /** Keeps a change to the job (what a decrypt found). */
  save(job: SelectionJob): Promise<void>;
  /** Puts `text` where the job's selection was; false when the page changed meanwhile. */
  replace(job: SelectionJob, text: string): Promise<boolean>;
  /** Done with it: forget the text. */
  finish(job: SelectionJob): Promise<void>;
}

/** Writes the clipboard and says when it will be cleared (handlers.ts). */
export type Copy = (text: string) => Promise<{ clearAfterSeconds: number | null }>;

/** How much of the selection Keysmith's window shows before encrypting it. */
const PREVIEW_CHARS = 300;

type SelectionHandlers = Pick<
  Handlers,
  'selection.view' | 'selection.encrypt' | 'selection.decrypt' | 'selection.replace' | 'selection.insert'
>;

export function createSelectionHandlers(vault: Vault, hooks: SelectionHooks, copy: Copy): SelectionHandlers {
  const jobOf = async (id: unknown, action?: SelectionJob['action']): Promise<SelectionJob> => {
    const job = typeof id === 'string' ? await hooks.job(id) : undefined;
    if (!job) throw new VaultError('not_found', msg('errSelectionExpired'));
    if (action && job.action !== action) throw new VaultError('invalid_input', msg('errSelectionExpired'));
    return job;
  };
  /** Only a secret the user marked as an encryption key is used as one (any hex token is not). */
  const keyValue = async (id: string): Promise<string> => {
    if (!(await vault.findHit(id))?.encryptionKey) throw new VaultError('invalid_input', msg('errNotEncryptionKey'), { field: 'keyId' });
    const { value } = await vault.revealSecret(id);
    checkEncryptionKey(value, 'keyId');
    return value;
  };
  const put = async (job: SelectionJob, text: string): Promise<SelectionOutcome> => {
    if (!(await hooks.replace(job, text))) throw new VaultError('not_found', msg('errSelectionGone'));
    await hooks.finish(job);
    return { done: 'replaced' };
  };

  return {
    'selection.view': async ({ jobId }) => {
      const job = await jobOf(jobId);
      const unlocked = await vault.isUnlocked();
      const view: SelectionView = {
        action: job.action,
        origin: job.origin,
        editable: job.editable,
        refused: job.refused === true,
        length: job.text.length,
        keys: [],
        site: [],
        // What will be encrypted, so the user sees it is what they selected.
        preview: job.action === 'encrypt' ? job.text.slice(0, PREVIEW_CHARS) : '',
      };
      if (unlocked && job.action === 'encrypt') view.keys = await vault.encryptionKeys();
      if (unlocked && job.action === 'insert') view.site = await vault.forSite(job.origin);
      return view;
    },

    'selection.encrypt': async ({ jobId, keyId, password }) => {
      const job = await jobOf(jobId, 'encrypt');
      if (job.text.trim() === '') throw new VaultError('invalid_input', msg('errSelectionEmpty'));
      const key = typeof keyId === 'string' && keyId !== '' ? await keyValue(keyId) : undefined;
      const json = toToolkitJson(await encrypt({ plaintext: job.text, ...(key ? { key } : { password: password ?? '' }) }));
      if (job.editable) return put(job, json);
      const copied = await copy(json);
      await hooks.finish(job);
      return { done: 'copied', ...copied };
    },

    'selection.decrypt': async ({ jobId, password }) => {
      const job = await jobOf(jobId, 'decrypt');
      const request = findToolkitJson(job.text);
      if (!request) throw new VaultError('invalid_input', msg('errNotToolkitJson'));
      let plaintext: string | undefined;
      if (request.salt) {
        if (!password) throw new VaultError('invalid_input', msg('errNeedsPassword'), { field: 'password' });
        plaintext = await decrypt({ ...request, password }).then(
          (r) => r.plaintext,
          (error) => {
            if (isCryptoError(error)) throw new VaultError('invalid_input', msg('errWrongDecryptPassword'), { field: 'password' });
            throw error;
          },
        );
      } else {
        // Tried one by one: a wrong key fails GCM's tag check, which costs microseconds.
        for (const hit of await vault.encryptionKeys()) {
          const key = await keyValue(hit.id).catch(() => undefined);
          if (!key) continue;
          plaintext = await decrypt({ ...request, key }).then(
            (r) => r.plaintext,
            () => undefined,
          );
          if (plaintext !== undefined) break;
        }
        if (plaintext === undefined) throw new VaultError('not_found', msg('errNoKeyOpens'));
      }
      // Kept (in memory, until the window closes or the vault locks) only if it can go back into the page.
      if (job.editable) await hooks.save({ ...job, plaintext });
      return { plaintext, editable: job.editable };
    },

    'selection.replace': async ({ jobId }) => {
      const job = await jobOf(jobId, 'decrypt');
      if (!(await vault.isUnlocked())) throw new VaultError('locked', msg('errLocked'));
      if (job.plaintext === undefined) throw new VaultError('invalid_input', msg('errNotToolkitJson'));
      return put(job, job.plaintext);
    },

    'selection.insert': async ({ jobId, secretId, confirmed }) => {
      const job = await jobOf(jobId, 'insert');
      if (!job.editable) throw new VaultError('invalid_input', msg('errSelectionGone'));
      const hit = await vault.findHit(secretId);
      if (!hit) throw new VaultError('not_found', msg('errSecretGone'));
      // Resolved first: a reference that fails stops here, and one that reaches Production asks as Production does.
      const resolved = await vault.resolveValue(secretId);
      const warnings: FillWarning[] = [];
      if (hit.protected) warnings.push({ kind: 'protected', envName: hit.envName });
      else if (resolved.protectedEnv !== undefined) warnings.push({ kind: 'protected', envName: resolved.protectedEnv });
      if (hit.autofill?.length && !matchesAny(hit.autofill, job.origin)) warnings.push({ kind: 'other-site', origin: job.origin });
      if (!job.secure) warnings.push({ kind: 'insecure', origin: job.origin });
      if (!allConfirmed(warnings, Array.isArray(confirmed) ? confirmed : [])) return { done: 'confirm', confirm: warnings };
      return put(job, resolved.value);
    },
  };
}
