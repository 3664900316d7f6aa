// The right-click menu's requests from Keysmith's window: encrypt, decrypt or insert at a selection.
import { allConfirmed } from '../autofill/choose-frame';
import { matchesAny } from '../autofill/targets';
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
  job(id: string): SelectionJob | undefined;
  /** Puts `text` where the job's selection was; false when the page changed meanwhile. */
  replace(job: SelectionJob, text: string): Promise<boolean>;
  /** Done with it: forget the text. */
  finish(job: SelectionJob): void;
}

/** Writes the clipboard and says when it will be cleared (handlers.ts). */
export type Copy = (text: string) => Promise<{ clearAfterSeconds: number | null }>;

type SelectionHandlers = Pick<Handlers, 'selection.view' | 'selection.encrypt' | 'selection.decrypt' | 'selection.replace' | 'selection.insert'>;

export function createSelectionHandlers(vault: Vault, hooks: SelectionHooks, copy: Copy): SelectionHandlers {
  const jobOf = (id: unknown): SelectionJob => {
    const job = typeof id === 'string' ? hooks.job(id) : undefined;
    if (!job) throw new VaultError('not_found', msg('errSelectionExpired'));
    return job;
  };
  const keyValue = async (id: string): Promise<string> => {
    const { value } = await vault.revealSecret(id);
    checkEncryptionKey(value, 'keyId');
    return value;
  };
  const put = async (job: SelectionJob, text: string): Promise<SelectionOutcome> => {
    if (!(await hooks.replace(job, text))) throw new VaultError('not_found', msg('errSelectionGone'));
    hooks.finish(job);
    return { done: 'replaced' };
  };

  return {
    'selection.view': async ({ jobId }) => {
      const job = jobOf(jobId);
      const unlocked = await vault.isUnlocked();
      const view: SelectionView = {
        action: job.action, origin: job.origin, editable: job.editable, refused: job.refused === true, length: job.text.length, keys: [], site: [],
      };
      if (unlocked && job.action === 'encrypt') view.keys = await vault.encryptionKeys();
      if (unlocked && job.action === 'insert') view.site = await vault.forSite(job.origin);
      return view;
    },

    'selection.encrypt': async ({ jobId, keyId, password }) => {
      const job = jobOf(jobId);
      if (job.action !== 'encrypt' || job.text.trim() === '') throw new VaultError('invalid_input', msg('errSelectionEmpty'));
      const key = typeof keyId === 'string' && keyId !== '' ? await keyValue(keyId) : undefined;
      const json = toToolkitJson(await encrypt({ plaintext: job.text, ...(key ? { key } : { password: password ?? '' }) }));
      if (job.editable) return put(job, json);
      const copied = await copy(json);
      hooks.finish(job);
      return { done: 'copied', ...copied };
    },

    'selection.decrypt': async ({ jobId, password }) => {
      const job = jobOf(jobId);
      const request = findToolkitJson(job.text);
      if (!request) throw new VaultError('invalid_input', msg('errNotToolkitJson'));
      let plaintext: string | undefined;
      if (request.salt) {
        if (!password) throw new VaultError('invalid_input', msg('errNeedsPassword'), { field: 'password' });
        plaintext = await decrypt({ ...request, password }).then((r) => r.plaintext, (error) => {
          if (isCryptoError(error)) throw new VaultError('invalid_input', msg('errWrongDecryptPassword'), { field: 'password' });
          throw error;
        });
      } else {
        // Tried one by one: a wrong key fails GCM's tag check, which costs microseconds.
        for (const hit of await vault.encryptionKeys()) {
          const key = await keyValue(hit.id).catch(() => undefined);
          if (!key) continue;
          plaintext = await decrypt({ ...request, key }).then((r) => r.plaintext, () => undefined);
          if (plaintext !== undefined) break;
        }
        if (plaintext === undefined) throw new VaultError('not_found', msg('errNoKeyOpens'));
      }
      job.plaintext = plaintext;
      return { plaintext, editable: job.editable };
    },

    'selection.replace': async ({ jobId }) => {
      const job = jobOf(jobId);
      if (job.plaintext === undefined) throw new VaultError('invalid_input', msg('errNotToolkitJson'));
      return put(job, job.plaintext);
    },

    'selection.insert': async ({ jobId, secretId, confirmed }) => {
      const job = jobOf(jobId);
      if (job.action !== 'insert' || !job.editable) throw new VaultError('invalid_input', msg('errSelectionGone'));
      const hit = await vault.findHit(secretId);
      if (!hit) throw new VaultError('not_found', msg('errSecretGone'));
      const warnings: FillWarning[] = [];
      if (hit.protected) warnings.push({ kind: 'protected', envName: hit.envName });
      if (hit.autofill?.length && !matchesAny(hit.autofill, job.origin)) warnings.push({ kind: 'other-site', origin: job.origin });
      if (!job.secure) warnings.push({ kind: 'insecure', origin: job.origin });
      if (!allConfirmed(warnings, Array.isArray(confirmed) ? confirmed : [])) return { done: 'confirm', confirm: warnings };
      return put(job, (await vault.revealSecret(secretId)).value);
    },
  };
}
