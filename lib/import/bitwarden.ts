// Bitwarden's JSON export (Tools → Export vault → .json), plain or password-protected.
import { sitesOf } from './autofill';
import { bitwardenKdf, bitwardenKey, openEncString } from './bitwarden-crypto';
import { damaged } from './fail';
import { isObject, list, parseJson, text, type Json } from './json';
import { keyFrom, pathFrom } from './names';
import { Notices } from './notices';
import type { ImportedSecret, ParsedImport } from './types';

/** Bitwarden's item types (bitwarden/clients `CipherType`). */
const LOGIN = 1,
  SECURE_NOTE = 2,
  CARD = 3,
  IDENTITY = 4,
  SSH_KEY = 5;
/** Custom field types: 0 text, 1 hidden, 2 boolean, 3 linked (to another field: no value of its own). */
const HIDDEN = 1,
  LINKED = 3;

export async function readBitwarden(source: string, base: string, password?: string): Promise<ParsedImport> {
  let data = parseJson(source);
  if (!isObject(data) || typeof data.encrypted !== 'boolean') throw damaged('errImportShape', 'Bitwarden');
  if (data.encrypted) {
    // An "account restricted" export is sealed with the account's own key: only Bitwarden opens it.
    if (data.passwordProtected !== true) throw damaged('errImportBitwardenAccount');
    if (!password) throw damaged('errImportBitwardenNoPassword');
    const kdf = bitwardenKdf(data);
    if (typeof data.salt !== 'string' || data.salt === '') throw damaged('errImportBitwardenEncString');
    const key = await bitwardenKey(password, data.salt, kdf);
    try {
      await openEncString(data.encKeyValidation_DO_NOT_EDIT, key);
      data = parseJson(await openEncString(data.data, key));
    } finally {
      key.enc.fill(0);
      key.mac.fill(0);
    }
    if (!isObject(data) || data.encrypted !== false) throw damaged('errImportShape', 'Bitwarden');
  }
  if (!Array.isArray(data.items)) throw damaged('errImportShape', 'Bitwarden');
  return mapItems(data, base);
}

/**
 * Folder (or, in an organization's export, the first collection) → path under `base`; item name →
 * key; the item's main secret → value (details in the comment); every hidden field and TOTP seed
 * → a secret of its own named `<item> <field>`.
 */
function mapItems(data: Json, base: string): ParsedImport {
  const folders = new Map<string, string>();
  for (const f of [...list(data.folders), ...list(data.collections)]) if (isObject(f)) folders.set(text(f.id), text(f.name));
  const secrets: ImportedSecret[] = [];
  const notices = new Notices();
  for (const raw of data.items as unknown[]) {
    if (!isObject(raw)) throw damaged('errImportShape', 'Bitwarden');
    // Bitwarden leaves attachments out of its exports; an item may still list them.
    if (list(raw.attachments).length > 0) notices.add('attachment', list(raw.attachments).length);
    const folder = folders.get(text(raw.folderId)) ?? folders.get(text(list(raw.collectionIds)[0])) ?? '';
    const path = pathFrom(base, folder);
    const name = keyFrom(text(raw.name));
    const extra: string[] = [];
    let value = '';
    if (raw.type === LOGIN) {
      const login = isObject(raw.login) ? raw.login : {};
      value = text(login.password);
      if (text(login.username)) extra.push(`Username: ${text(login.username)}`);
      const totp = text(login.totp);
      if (totp) {
        secrets.push({ path, key: keyFrom(name, 'TOTP'), value: totp });
        notices.add('totp');
      }
      if (list(login.fido2Credentials).length > 0) notices.add('passkey', list(login.fido2Credentials).length);
      const autofill = sitesOf(list(login.uris).map((u) => (isObject(u) ? text(u.uri) : '')));
      const notes = text(raw.notes);
      secrets.push(...fields(raw, path, name, extra));
      if (value === '' && notes === '') {
        notices.add('empty');
        continue;
      }
      if (value === '') value = notes;
      else if (notes) extra.push(notes);
      secrets.push({ path, key: name, value, ...comment(extra), ...(autofill.length > 0 ? { autofill } : {}) });
    } else if (raw.type === SECURE_NOTE) {
      secrets.push(...fields(raw, path, name, extra));
      if (text(raw.notes) === '') notices.add('empty');
      else secrets.push({ path, key: name, value: text(raw.notes), ...comment(extra) });
    } else if (raw.type === CARD) {
      const card = isObject(raw.card) ? raw.card : {};
      for (const [label, field] of [
        ['Cardholder', 'cardholderName'],
        ['Brand', 'brand'],
        ['Expires', 'expMonth'],
      ] as const) {
        const shown = field === 'expMonth' ? [text(card.expMonth), text(card.expYear)].filter(Boolean).join('/') : text(card[field]);
        if (shown) extra.push(`${label}: ${shown}`);
      }
      if (text(raw.notes)) extra.push(text(raw.notes));
      if (text(card.code)) secrets.push({ path, key: keyFrom(name, 'Code'), value: text(card.code) });
      secrets.push(...fields(raw, path, name, extra));
      if (text(card.number)) secrets.push({ path, key: name, value: text(card.number), ...comment(extra) });
      else notices.add('empty');
    } else if (raw.type === SSH_KEY) {
      const ssh = isObject(raw.sshKey) ? raw.sshKey : {};
      if (text(ssh.publicKey)) extra.push(text(ssh.publicKey));
      secrets.push(...fields(raw, path, name, extra));
      if (text(ssh.privateKey)) secrets.push({ path, key: name, value: text(ssh.privateKey), ...comment(extra) });
      else notices.add('empty');
    } else if (raw.type === IDENTITY) {
      notices.add('identity');
    } else {
      notices.add('other');
    }
  }
  return { format: 'bitwarden', secrets, notices: notices.counts };
}

/** Hidden custom fields are secrets of their own; text and boolean ones are details, added to the comment. */
function fields(item: Json, path: string, name: string, extra: string[]): ImportedSecret[] {
  const out: ImportedSecret[] = [];
  for (const f of list(item.fields)) {
    if (!isObject(f) || f.type === LINKED || text(f.value) === '') continue;
    if (f.type === HIDDEN) out.push({ path, key: keyFrom(name, text(f.name) || 'Field'), value: text(f.value) });
    else extra.push(`${text(f.name)}: ${text(f.value)}`);
  }
  return out;
}

function comment(lines: string[]): { comment?: string } {
  return lines.length > 0 ? { comment: lines.join('\n') } : {};
}
