import { call } from '../../adapters/messenger';
import { readCurrentEnv } from '../../components/vault/current-env';

/**
 * Asks the background for everything the first screen shows. main.tsx imports this module first,
 * so the request leaves while React and the components are still being evaluated, and the answer
 * overlaps loading and rendering. A failure falls back to the ordinary requests.
 * The marks let `npm run bench` split an opening into loading, the background's answer and rendering.
 */
performance.mark('keysmith:open-asked');
export const opening = call('vault.open', readCurrentEnv())
  .catch(() => null)
  .finally(() => performance.mark('keysmith:open-answered'));
