// Writes a confirmed import through the vault's own operations (create, update).
import { checkSites } from '../autofill/sites';
import { invalid } from '../vault/errors';
import type { ImportResult, NewSecret } from '../vault/types';
import type { Vault } from '../vault/vault';
import { checkComment, checkKey, checkTags, checkValue, normalisePath } from '../vault/validate';
import { MAX_IMPORT_SECRETS } from './limits';
import { CLASH_CHOICES, planImport, previewImport, type ClashChoice, type Existing, type Preview } from './plan';
import type { ImportedSecret } from './types';

export interface ImportTarget {
  safeId: string;
  envId: string;
}

/** The names in the chosen environment (no values are read). */
async function existingNames(vault: Vault, t: ImportTarget): Promise<Existing[]> {
  const items = await vault.listSecrets(t.safeId, t.envId);
  return items.flatMap((i) => ('key' in i ? [{ id: i.id, path: i.path, key: i.key }] : []));
}

/**
 * The secrets a page sends, checked by the vault's own rules before any write: a page is trusted
 * to be ours (senders.ts), not to be right.
 */
export function checkImported(raw: unknown): ImportedSecret[] {
  if (!Array.isArray(raw)) throw invalid('secrets', 'errImportNoSecrets');
  if (raw.length > MAX_IMPORT_SECRETS) throw invalid('secrets', 'errImportTooMany', MAX_IMPORT_SECRETS);
  return raw.map((s: Partial<ImportedSecret> | null) => {
    const secret: ImportedSecret = {
      path: normalisePath(s?.path, 'secrets'),
      key: checkKey(s?.key, 'secrets'),
      value: checkValue(s?.value, 'secrets'),
    };
    const comment = checkComment(s?.comment, 'secrets');
    const tags = checkTags(s?.tags, 'secrets');
    const autofill = checkSites(s?.autofill, 'secrets');
    if (comment) secret.comment = comment;
    if (tags.length > 0) secret.tags = tags;
    if (autofill.length > 0) secret.autofill = autofill;
    return secret;
  });
}

function checkChoices(raw: unknown): Record<string, ClashChoice> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('choices', 'errImportChoices');
  const out: Record<string, ClashChoice> = Object.create(null);
  for (const [id, choice] of Object.entries(raw)) {
    if (!CLASH_CHOICES.includes(choice as ClashChoice)) throw invalid('choices', 'errImportChoices');
    out[id] = choice as ClashChoice;
  }
  return out;
}

export async function previewInVault(vault: Vault, t: ImportTarget, secrets: { path: string; key: string }[]): Promise<Preview> {
  const checked = checkImported(secrets.map((s) => ({ path: s?.path, key: s?.key, value: '' })));
  return previewImport(checked, await existingNames(vault, t));
}

/**
 * Everything is checked and planned first; then one `create` per path (one transaction each, all
 * or nothing for that path) and one `update` per overwritten secret, the fewest the vault's
 * operations allow. A stale preview or a bad secret stops it before the first write.
 */
export async function applyImport(vault: Vault, t: ImportTarget, rawSecrets: unknown, rawChoices: unknown): Promise<ImportResult> {
  const secrets = checkImported(rawSecrets);
  const choices = checkChoices(rawChoices);
  const plan = planImport(secrets, await existingNames(vault, t), choices);
  const toNew = (s: ImportedSecret): NewSecret => ({
    key: s.key,
    value: s.value,
    ...(s.comment ? { comment: s.comment } : {}),
    ...(s.tags ? { tags: s.tags } : {}),
    ...(s.autofill ? { autofill: s.autofill } : {}),
  });
  let created = 0;
  for (const group of plan.creates) {
    created += (await vault.create({ ...t, secretPath: group.path, keyValuePairs: group.secrets.map(toNew) })).length;
  }
  for (const { id, secret } of plan.overwrites) {
    await vault.update({
      ...t,
      id,
      value: secret.value,
      ...(secret.comment ? { comment: secret.comment } : {}),
      ...(secret.tags ? { tags: secret.tags } : {}),
      ...(secret.autofill ? { autofill: secret.autofill } : {}),
    });
  }
  return { created, updated: plan.overwrites.length, skipped: plan.skipped };
}
