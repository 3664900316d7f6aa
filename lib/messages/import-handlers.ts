// The import requests (docs/import.md): the page has read the file; the background only sees names
// for the preview, then the confirmed secrets, and writes them through the vault's operations.
import { applyImport, previewInVault } from '../import/apply';
import { invalid } from '../vault/errors';
import type { Vault } from '../vault/vault';
import type { Handlers } from './dispatch';

type ImportHandlers = Pick<Handlers, 'import.preview' | 'import.apply'>;

function target(data: { safeId?: unknown; envId?: unknown } | undefined): { safeId: string; envId: string } {
  if (typeof data?.safeId !== 'string' || typeof data.envId !== 'string') throw invalid('env', 'errImportTarget');
  return { safeId: data.safeId, envId: data.envId };
}

export function createImportHandlers(vault: Vault): ImportHandlers {
  return {
    'import.preview': async (data) => previewInVault(vault, target(data), data.names),
    'import.apply': async (data) => applyImport(vault, target(data), data.secrets, data.choices),
  };
}
