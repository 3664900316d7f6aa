import { fillFrame, surveyFrame } from '../lib/autofill/page';
import type { FillOrder } from '../lib/autofill/types';
import { captureSelection, replaceSelection } from '../lib/selection/page-selection';
import type { PageAgent } from './background/page-agent-api';

// Injected by the background into the frames of the one tab the user acted on, when they act
// (activeTab; no content script is declared). It only defines functions in the extension's
// isolated world, out of the page's reach; the background calls them with scripting.executeScript.
export default defineUnlistedScript(() => {
  const win = window as Window & typeof globalThis;
  // Injected before: keep the selections it remembers. Own property only: a page element named
  // "keysmithAgent" shows through `in` (named access on window) and must not stop the install.
  if (Object.hasOwn(globalThis, 'keysmithAgent')) return;
  Object.defineProperty(globalThis, 'keysmithAgent', {
    value: Object.freeze({
      survey: (field?: string) => surveyFrame(win, field),
      fill: (order: FillOrder) => fillFrame(win, order),
      capture: (token: string) => captureSelection(win, token),
      replace: (token: string, origin: string, text: string) => replaceSelection(win, token, origin, text),
    } satisfies PageAgent),
  });
});
