import type { VaultOpening } from '../../lib/vault/types';
import { askOpening, OPENING_GLOBAL } from './ask-opening';

/**
 * The popup's start-up request. popup-opening.js, a small classic script in popup.html's head,
 * sends it while the browser still loads React and the components (about 370 KB of modules that
 * all load before any of them runs), so the answer overlaps that. Asked here when that script did
 * not run.
 */
const early = (globalThis as Record<string, unknown>)[OPENING_GLOBAL] as Promise<VaultOpening | null> | undefined;
export const opening: Promise<VaultOpening | null> = early ?? askOpening();
