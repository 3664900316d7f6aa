import { call } from '../../adapters/messenger';
import { t } from './i18n';

/**
 * Asks the background to copy a vault secret (by id: its value never passes through this page) or
 * a tool's output, and to clear the clipboard after the configured delay and on lock. One request,
 * so closing the popup right after Copy cannot skip the clear. Returns what to tell the user.
 */
export async function copySecret(what: { id: string } | { text: string }): Promise<string> {
  const { clearAfterSeconds } = await call('clipboard.copy', what);
  return clearAfterSeconds ? t('copiedClears', clearAfterSeconds) : t('copiedDone');
}
