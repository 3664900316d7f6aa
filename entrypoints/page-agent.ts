import { fillFrame, surveyFrame } from '../lib/autofill/page';
import type { FillOrder } from '../lib/autofill/types';

// Injected by the background into the frames of the one tab the user acted on, when they act
// (activeTab; no content script is declared). It only defines two functions in the extension's
// isolated world; the background calls them with scripting.executeScript.
export default defineUnlistedScript(() => {
  const win = window as Window & typeof globalThis;
  Object.defineProperty(globalThis, 'keysmithAgent', {
    value: Object.freeze({
      survey: (field?: string) => surveyFrame(win, field),
      fill: (order: FillOrder) => fillFrame(win, order),
    }),
    configurable: true,
  });
});
