import type { FillSite } from '../autofill/sites';

/** The formats Settings → Import reads (docs/import.md has one table per format). */
export const IMPORT_FORMATS = ['bitwarden', 'onepux', 'onepassword-csv', 'doppler', 'infisical', 'phase', 'dotenv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * One secret read from a file. Where it goes: the safe and environment the user picked, at
 * `path` (already checked by the vault's path rules), under `key`.
 */
export interface ImportedSecret {
  path: string;
  key: string;
  value: string;
  comment?: string;
  tags?: string[];
  autofill?: FillSite[];
}

/**
 * What the file held that Keysmith does not import as such, counted per kind, so the preview can
 * say what happens to each: `kept` kinds became secrets of their own, `dropped` ones are not imported.
 */
export type NoticeKind =
  | 'attachment' // files attached to an item: not in the export, or not imported
  | 'passkey' // a passkey's private key only works with its authenticator: not imported
  | 'totp' // a TOTP seed: kept as its own secret, `<item> TOTP`
  | 'identity' // Bitwarden identities, 1Password identities: personal data, not secrets
  | 'archived' // archived or deleted items: not imported
  | 'personal' // Infisical personal overrides: not imported
  | 'empty' // items with no value to store
  | 'other'; // anything else the format describes that has no place in Keysmith

export interface ParsedImport {
  format: ImportFormat;
  secrets: ImportedSecret[];
  notices: Partial<Record<NoticeKind, number>>;
}
