// Reads an export file into secrets: checks its size, picks the format, runs that format's reader.
import { utf8Decode } from '../crypto/encoding';
import { MAX_COMMENT_LENGTH, MAX_TAG_LENGTH, normalisePath } from '../vault/validate';
import { readBitwarden } from './bitwarden';
import { readDoppler, readDotenv, readInfisical, readPhase } from './dev-tools';
import { damaged } from './fail';
import { MAX_IMPORT_BYTES, MAX_IMPORT_SECRETS } from './limits';
import { readOnePasswordCsv, readOnePux } from './onepassword';
import type { ImportFormat, ParsedImport } from './types';

export interface ReadOptions {
  /** Chosen by the user; absent: detected from the content. */
  format?: ImportFormat;
  /** Where the secrets go: folders and vaults from the file become paths below it. */
  basePath?: string;
  /** A password-protected Bitwarden export's password. */
  password?: string;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** The format a file's content says it is (docs/import.md, "Detection"). */
export function detectFormat(bytes: Uint8Array): ImportFormat {
  if (ZIP.every((b, i) => bytes[i] === b)) return 'onepux';
  const source = decode(bytes)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (source.startsWith('[')) return 'infisical';
  if (source.startsWith('{')) {
    if (/^\{\s*"(encrypted|passwordProtected)"/.test(source) || /"encrypted"\s*:\s*(true|false)/.test(source.slice(0, 4096)))
      return 'bitwarden';
    return /^\{\s*"[^"]*"\s*:\s*\{/.test(source) ? 'doppler' : 'phase';
  }
  const firstLine = (source.split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  if (/(^|,)"?title"?(,|$)/.test(firstLine) && /(^|,)"?password"?(,|$)/.test(firstLine)) return 'onepassword-csv';
  return 'dotenv';
}

/**
 * Everything an import reads, before anything is written. A damaged file, one over the size cap
 * or one holding too many secrets throws, and the caller has written nothing.
 */
export async function readImport(bytes: Uint8Array, o: ReadOptions = {}): Promise<ParsedImport> {
  if (bytes.length > MAX_IMPORT_BYTES) throw damaged('errImportTooLarge', MAX_IMPORT_BYTES / 1024 / 1024);
  if (bytes.length === 0) throw damaged('errImportEmpty');
  const base = normalisePath(o.basePath, 'basePath');
  const format = o.format ?? detectFormat(bytes);
  const parsed = await readAs(format, bytes, base, o.password);
  if (parsed.secrets.length > MAX_IMPORT_SECRETS) throw damaged('errImportTooMany', MAX_IMPORT_SECRETS);
  if (parsed.secrets.length === 0 && Object.keys(parsed.notices).length === 0) throw damaged('errImportNoSecrets');
  // Details longer than the vault accepts are cut rather than refused: the value is what matters.
  for (const s of parsed.secrets) {
    if (s.comment !== undefined && s.comment.length > MAX_COMMENT_LENGTH) s.comment = s.comment.slice(0, MAX_COMMENT_LENGTH);
    if (s.tags)
      s.tags = s.tags
        .map((t) =>
          t
            .replace(/[\u0000-\u001f\u007f]/g, ' ')
            .trim()
            .slice(0, MAX_TAG_LENGTH),
        )
        .filter(Boolean);
  }
  return parsed;
}

function readAs(format: ImportFormat, bytes: Uint8Array, base: string, password?: string): ParsedImport | Promise<ParsedImport> {
  switch (format) {
    case 'onepux':
      return readOnePux(bytes, base);
    case 'bitwarden':
      return readBitwarden(decode(bytes), base, password);
    case 'onepassword-csv':
      return readOnePasswordCsv(decode(bytes), base);
    case 'doppler':
      return readDoppler(decode(bytes), base);
    case 'phase':
      return readPhase(decode(bytes), base);
    case 'infisical':
      return readInfisical(decode(bytes), base);
    case 'dotenv':
      return readDotenv(decode(bytes), base);
    default:
      throw damaged('errImportFormat');
  }
}

function decode(bytes: Uint8Array): string {
  try {
    return utf8Decode(bytes);
  } catch {
    throw damaged('errImportNotText');
  }
}
