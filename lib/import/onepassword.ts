// 1Password's exports: 1PUX (a zip holding export.data, JSON) and CSV.
import { unzipSync, type Unzipped } from 'fflate';
import { utf8Decode } from '../crypto/encoding';
import { sitesOf } from './autofill';
import { parseCsv } from './csv';
import { damaged } from './fail';
import { isObject, list, parseJson, text, type Json } from './json';
import { MAX_UNZIPPED_BYTES } from './limits';
import { keyFrom, pathFrom } from './names';
import { Notices } from './notices';
import type { ImportedSecret, ParsedImport } from './types';

/** 1PUX categories (1Password's "1PUX format" reference): 006 is a Document, 004 an Identity. */
const DOCUMENT = '006',
  IDENTITY = '004';

/**
 * Only export.data is read. The sizes a zip declares are checked before inflating anything, and
 * every other entry (attachments under files/) is left compressed: a zip bomb cannot fill memory.
 */
export function readOnePux(bytes: Uint8Array, base: string): ParsedImport {
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (file.name !== 'export.data') return false;
        // fflate inflates into a buffer of the declared size and never past it.
        if (file.originalSize > MAX_UNZIPPED_BYTES) throw damaged('errImportDataTooLarge', MAX_UNZIPPED_BYTES / 1024 / 1024);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'VaultError') throw error;
    throw damaged('errImportNotZip');
  }
  const data = files['export.data'];
  if (!data) throw damaged('errImportNoExportData');
  let source: string;
  try {
    source = utf8Decode(data);
  } catch {
    throw damaged('errImportShape', '1PUX');
  }
  const json = parseJson(source);
  if (!isObject(json) || !Array.isArray(json.accounts)) throw damaged('errImportShape', '1PUX');
  const secrets: ImportedSecret[] = [];
  const notices = new Notices();
  for (const account of json.accounts) {
    for (const vault of list(isObject(account) ? account.vaults : undefined)) {
      if (!isObject(vault)) throw damaged('errImportShape', '1PUX');
      const path = pathFrom(base, text(isObject(vault.attrs) ? vault.attrs.name : ''));
      for (const item of list(vault.items)) {
        if (!isObject(item)) throw damaged('errImportShape', '1PUX');
        secrets.push(...mapItem(item, path, notices));
      }
    }
  }
  return { format: 'onepux', secrets, notices: notices.counts };
}

/**
 * Item title → key; the login password (else the first concealed field, else the notes) → value;
 * username, other visible fields and notes → comment; every other concealed field and each TOTP
 * seed → a secret of its own, `<title> <field>`.
 */
function mapItem(item: Json, path: string, notices: Notices): ImportedSecret[] {
  if (item.state === 'archived' || item.state === 'deleted' || item.trashed === true) {
    notices.add('archived');
    return [];
  }
  const details = isObject(item.details) ? item.details : {};
  const overview = isObject(item.overview) ? item.overview : {};
  if (item.categoryUuid === IDENTITY) {
    notices.add('identity');
    return [];
  }
  if (item.categoryUuid === DOCUMENT || isObject(details.documentAttributes)) notices.add('attachment');
  if (isObject(details.passkey)) notices.add('passkey');
  const name = keyFrom(text(overview.title));
  const out: ImportedSecret[] = [];
  const extra: string[] = [];
  let value = '';
  for (const f of list(details.loginFields)) {
    if (!isObject(f)) continue;
    if (f.designation === 'password' && value === '') value = text(f.value);
    else if (f.designation === 'username' && text(f.value)) extra.push(`Username: ${text(f.value)}`);
  }
  for (const section of list(details.sections)) {
    if (!isObject(section)) continue;
    for (const field of list(section.fields)) {
      if (!isObject(field) || !isObject(field.value)) continue;
      const [kind, raw] = Object.entries(field.value)[0] ?? [];
      const label = text(field.title) || text(field.id) || 'Field';
      if (kind === 'totp') {
        if (text(raw)) out.push({ path, key: keyFrom(name, 'TOTP'), value: text(raw) });
        notices.add('totp');
      } else if (kind === 'concealed' || kind === 'creditCardNumber') {
        if (text(raw) === '') continue;
        if (value === '') value = text(raw);
        else out.push({ path, key: keyFrom(name, label), value: text(raw) });
      } else if (kind === 'sshKey' && isObject(raw)) {
        if (value === '') value = text(raw.privateKey);
        else out.push({ path, key: keyFrom(name, label), value: text(raw.privateKey) });
      } else if (kind === 'file') {
        notices.add('attachment');
      } else if (kind === 'string' || kind === 'url' || kind === 'email' || kind === 'phone' || kind === 'menu') {
        const shown = isObject(raw) ? text(raw.email_address) : text(raw);
        if (shown) extra.push(`${label}: ${shown}`);
      }
    }
  }
  const notes = text(details.notesPlain);
  if (value === '') value = notes;
  else if (notes) extra.push(notes);
  if (value === '') {
    if (out.length === 0) notices.add('empty');
    return out;
  }
  const urls = [text(overview.url), ...list(overview.urls).map((u) => (isObject(u) ? text(u.url) : ''))];
  const autofill = sitesOf(urls);
  const tags = list(overview.tags)
    .map(text)
    .filter((t) => t !== '');
  out.unshift({
    path,
    key: name,
    value,
    ...(extra.length > 0 ? { comment: extra.join('\n') } : {}),
    ...(autofill.length > 0 ? { autofill } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  });
  return out;
}

/**
 * 1Password 8's CSV: a header row naming the columns (Title, Url, Username, Password, OTPAuth,
 * Favorite, Archived, Tags, Notes); 1Password 7's lower-case names (title, website, …) read too.
 */
export function readOnePasswordCsv(source: string, base: string): ParsedImport {
  const rows = parseCsv(source);
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  const column = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const at = {
    title: column('title'),
    url: column('url', 'website'),
    username: column('username'),
    password: column('password'),
    otp: column('otpauth', 'one-time password'),
    archived: column('archived'),
    tags: column('tags'),
    notes: column('notes', 'notesplain'),
  };
  if (at.title === -1 || at.password === -1) throw damaged('errImportCsvHeader');
  const secrets: ImportedSecret[] = [];
  const notices = new Notices();
  const cell = (row: string[], i: number) => (i === -1 ? '' : (row[i] ?? ''));
  for (const row of rows) {
    if (/^true$/i.test(cell(row, at.archived))) {
      notices.add('archived');
      continue;
    }
    const name = keyFrom(cell(row, at.title));
    const otp = cell(row, at.otp);
    if (otp) {
      secrets.push({ path: base, key: keyFrom(name, 'TOTP'), value: otp });
      notices.add('totp');
    }
    const extra = [cell(row, at.username) && `Username: ${cell(row, at.username)}`, cell(row, at.notes)].filter(Boolean);
    let value = cell(row, at.password);
    if (value === '' && cell(row, at.notes)) value = extra.pop()!;
    if (value === '') {
      if (!otp) notices.add('empty');
      continue;
    }
    const autofill = sitesOf([cell(row, at.url)]);
    const tags = cell(row, at.tags)
      .split(/[,;]/)
      .map((t) => t.trim())
      .filter(Boolean);
    secrets.push({
      path: base,
      key: name,
      value,
      ...(extra.length > 0 ? { comment: extra.join('\n') } : {}),
      ...(autofill.length > 0 ? { autofill } : {}),
      ...(tags.length > 0 ? { tags } : {}),
    });
  }
  return { format: 'onepassword-csv', secrets, notices: notices.counts };
}
