import { call } from '../../adapters/messenger';

/**
 * Copies a secret from the page (which has the user's click) and asks the background to clear the
 * clipboard later, so it does not linger for other apps or a later paste. Returns what to tell the user.
 */
export async function copySecret(value: string): Promise<string> {
  await navigator.clipboard.writeText(value);
  const { clearAfterSeconds } = await call('clipboard.scheduleClear');
  return clearAfterSeconds ? `Copied. The clipboard clears in ${clearAfterSeconds} s.` : 'Copied.';
}
