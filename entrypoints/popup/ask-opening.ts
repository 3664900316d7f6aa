import { call } from '../../adapters/messenger';
import { readCurrentEnv } from '../../components/vault/current-env';
import type { VaultOpening } from '../../lib/vault/types';

/**
 * Asks the background for everything the popup's first screen shows. A failure falls back to the
 * ordinary requests (null). The marks let `npm run bench` split an opening into loading, the
 * background's answer and rendering.
 */
export function askOpening(): Promise<VaultOpening | null> {
  performance.mark('keysmith:open-asked');
  return call('vault.open', readCurrentEnv())
    .catch(() => null)
    .finally(() => performance.mark('keysmith:open-answered'));
}

/** Where popup-opening.js leaves the request it started, for main.tsx to take. */
export const OPENING_GLOBAL = 'keysmithOpening';
