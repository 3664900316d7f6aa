/**
 * Imports from other managers (docs/import.md). The page reads the file (read.ts) and shows the
 * preview; the background checks and writes what the user confirmed (apply.ts).
 */
export { readImport, detectFormat, type ReadOptions } from './read';
export {
  previewImport,
  planImport,
  clashId,
  CLASH_CHOICES,
  type ClashChoice,
  type Clash,
  type Preview,
  type Plan,
  type Existing,
} from './plan';
export { MAX_IMPORT_BYTES, MAX_IMPORT_SECRETS } from './limits';
export { IMPORT_FORMATS, type ImportFormat, type ImportedSecret, type NoticeKind, type ParsedImport } from './types';
