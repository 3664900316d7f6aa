import { askOpening, OPENING_GLOBAL } from './popup/ask-opening';

// popup.html loads this before its modules, as a classic script: the popup's start-up request
// leaves before the page's JavaScript is even parsed (entrypoints/popup/opening.ts takes it).
export default defineUnlistedScript(() => {
  (globalThis as Record<string, unknown>)[OPENING_GLOBAL] = askOpening();
});
