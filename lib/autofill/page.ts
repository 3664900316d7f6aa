// What the page agent does inside one frame: find the field a fill may use, and fill it.
// DOM-facing but browser-API-free: it takes the frame's window, and runs in the extension's isolated
// world, where the page's scripts cannot reach its variables or redefine the DOM methods it calls.
import type { FillOrder, FrameSurvey } from './types';

type Field = HTMLInputElement | HTMLTextAreaElement;

const TEXT_TYPES = new Set(['', 'text', 'password', 'email', 'search', 'tel', 'url']);
/** A search box is never guessed as the place for a secret (it ends up in URLs and analytics); only when focused. */
const GUESSABLE = (el: Field) => (el.getAttribute('type') ?? '').toLowerCase() !== 'search';
const isPassword = (el: Field) =>
  (el.getAttribute('type') ?? '').toLowerCase() === 'password' || /\b(current|new)-password\b/.test(el.getAttribute('autocomplete') ?? '');

export function isEditableField(el: Element | null): el is Field {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA') return !(el as HTMLTextAreaElement).disabled && !(el as HTMLTextAreaElement).readOnly;
  if (tag !== 'INPUT') return false;
  const input = el as HTMLInputElement;
  return TEXT_TYPES.has((input.getAttribute('type') ?? '').toLowerCase()) && !input.disabled && !input.readOnly;
}

/**
 * Seen by the user: rendered, at least 50 % opaque through every ancestor, with a size, its centre
 * inside the viewport and not under another element, in a frame that is itself seen. A hidden field
 * is how a page collects what the user did not mean to give it (hidden-field autofill attacks, e.g.
 * Kuppan Reddy, "Browser autofill phishing", 2017; DEF CON 33 extension clickjacking, 2025).
 */
export function isVisible(el: Element, win: Window & typeof globalThis): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width < 2 || rect.height < 2) return false;
  const x = rect.left + rect.width / 2;
  const y = rect.top + rect.height / 2;
  if (x < 0 || y < 0 || x >= win.innerWidth || y >= win.innerHeight) return false;
  const style = win.getComputedStyle(el);
  if (style.visibility !== 'visible' || style.contentVisibility === 'hidden') return false;
  let opacity = 1;
  for (let node: Element | null = el; node; node = node.parentElement) {
    const s = win.getComputedStyle(node);
    if (s.display === 'none') return false;
    opacity *= Number.parseFloat(s.opacity);
    if (opacity < 0.5) return false;
  }
  // Covered: whatever the user sees at the field's centre must be the field (or inside it).
  const top = win.document.elementFromPoint(x, y);
  if (top !== el && !(top && el.contains(top))) return false;
  // A same-origin frame must itself be seen in its parent; a cross-origin parent hides this (null).
  const frame = win.frameElement;
  if (frame) return isVisible(frame, win.parent as Window & typeof globalThis);
  return win.parent === win;
}

/** The frame chain down to this window is what the user last focused: each parent's active element is our frame. */
export function frameFocused(win: Window): boolean {
  for (let w = win; w.parent !== w; w = w.parent) {
    const frame = w.frameElement;
    if (!frame || frame.ownerDocument.activeElement !== frame) return false;
  }
  return true;
}

function focusedField(win: Window & typeof globalThis): Field | undefined {
  const el = win.document.activeElement;
  return isEditableField(el) && frameFocused(win) && isVisible(el, win) ? el : undefined;
}

function namedLike(el: Field, name: string): boolean {
  const wanted = name.toLowerCase();
  return [el.name, el.id, el.getAttribute('autocomplete') ?? ''].some((n) => n.toLowerCase() === wanted);
}

/** The first visible editable field: the target's named one, else a password field, else any but a search box. */
function firstField(win: Window & typeof globalThis, field?: string): Field | undefined {
  const all = [...win.document.querySelectorAll('input, textarea')].filter(isEditableField).filter(GUESSABLE);
  const named = field ? all.filter((el) => namedLike(el, field)) : [];
  const ordered = [...named, ...all.filter((el) => isPassword(el) && !named.includes(el)), ...all.filter((el) => !isPassword(el) && !named.includes(el))];
  return ordered.find((el) => isVisible(el, win));
}

/**
 * Where a form holding `el` may send it: its action, or another origin a submit button's
 * `formaction` names. Read through the prototypes, not `form.action` or `form.elements`, which a
 * field named "action" or "elements" would shadow (DOM clobbering); resolved against the base URL.
 */
function formOrigin(el: Field, win: Window & typeof globalThis): string | undefined {
  const form = el.form;
  if (!form) return undefined;
  const proto = win.HTMLFormElement.prototype;
  const controls = Object.getOwnPropertyDescriptor(proto, 'elements')!.get!.call(form) as HTMLFormControlsCollection;
  const origins = [proto.getAttribute.call(form, 'action'), ...[...controls].map((c) => c.getAttribute('formaction'))]
    .filter((url, i) => i === 0 || url !== null)
    .flatMap((url) => {
      try {
        return [new URL(url ?? '', win.document.baseURI).origin];
      } catch {
        return [];
      }
    });
  return origins.find((o) => o !== win.origin) ?? origins[0];
}

export function surveyFrame(win: Window & typeof globalThis, field?: string): FrameSurvey {
  const focused = focusedField(win);
  const chosen = focused ?? firstField(win, field);
  const survey: FrameSurvey = { origin: win.origin, secure: win.isSecureContext, focused: focused !== undefined, candidate: chosen !== undefined };
  const posts = chosen ? formOrigin(chosen, win) : undefined;
  if (posts !== undefined) survey.formOrigin = posts;
  return survey;
}

/**
 * Fills the field the survey chose, checking again that this frame is still the origin the background
 * approved and the field is still seen: the page had the time between survey and fill to change it.
 * Sets the value with the element's own setter and fires the events React, Vue and plain pages read.
 */
export async function fillFrame(win: Window & typeof globalThis, order: FillOrder): Promise<FillResult> {
  if (win.origin !== order.origin) return 'changed';
  const el = order.useFocused ? focusedField(win) : firstField(win, order.field);
  if (!el) return 'changed';
  el.focus();
  // focus() ran the page's handlers, and so does every await: the field must still be this frame's,
  // seen, focused, and post where the user agreed, right before the value is set.
  const unchanged = () =>
    win.origin === order.origin && win.document.activeElement === el && isVisible(el, win) && formOrigin(el, win) === order.formOrigin;
  if (!unchanged()) return 'changed';
  if (!(await seenByBrowser(el, win))) return 'hidden';
  if (!unchanged()) return 'changed';
  const proto = el.tagName === 'TEXTAREA' ? win.HTMLTextAreaElement.prototype : win.HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, order.value);
  el.dispatchEvent(new win.InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: order.value }));
  el.dispatchEvent(new win.Event('change', { bubbles: true }));
  return 'filled';
}

export type FillResult = 'filled' | 'changed' | 'hidden';

/**
 * The browser's own answer to "is this element seen, unoccluded and unfiltered": Chromium's
 * IntersectionObserver v2 (https://w3c.github.io/IntersectionObserver/v2/), which also sees what hit
 * testing looks through (an opaque overlay with `pointer-events: none`), CSS `filter`, and content
 * drawn over a frame. Browsers without it (Firefox) answer true: the checks of `isVisible` are then
 * all there is. Its verdict is strict (an ancestor fading in with opacity < 1 counts as hidden), which
 * errs towards not filling.
 */
function seenByBrowser(el: Element, win: Window & typeof globalThis): Promise<boolean> {
  if (!('isVisible' in win.IntersectionObserverEntry.prototype)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const observer = new win.IntersectionObserver(
      ([entry]) => {
        observer.disconnect();
        resolve((entry as IntersectionObserverEntry & { isVisible?: boolean } | undefined)?.isVisible === true);
      },
      { trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    observer.observe(el);
    // No answer (a frame that is not rendered): not seen.
    win.setTimeout(() => {
      observer.disconnect();
      resolve(false);
    }, 1000);
  });
}
