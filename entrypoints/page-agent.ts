import { fillFrame, surveyFrame } from '../lib/autofill/page';
import type { ShadowOf } from '../lib/autofill/seen';
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
  // Closed shadow roots, which only an extension may open: chrome.dom in Chromium, an element method
  // in Firefox's content scripts. Without either, an open root is all that is seen.
  const dom = (globalThis as unknown as { chrome?: { dom?: { openOrClosedShadowRoot?: (el: Element) => ShadowRoot | null } } }).chrome?.dom;
  const shadowOf: ShadowOf = (el) => {
    if (typeof dom?.openOrClosedShadowRoot === 'function') return dom.openOrClosedShadowRoot(el) ?? null;
    // Firefox's is a property of the element, seen only by extension code (a page reads undefined).
    const firefox = (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
    return firefox !== undefined ? firefox : el.shadowRoot;
  };
  Object.defineProperty(globalThis, 'keysmithAgent', {
    value: Object.freeze({
      survey: (field?: string) => surveyFrame(win, shadowOf, field),
      fill: (order: FillOrder) => fillFrame(win, shadowOf, order),
      capture: (token: string) => captureSelection(win, token),
      replace: (token: string, origin: string, text: string) => replaceSelection(win, token, origin, text),
    } satisfies PageAgent),
  });
});
