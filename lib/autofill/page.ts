// What the page agent does inside one frame: find the field a fill may use, and fill it.
// DOM-facing but browser-API-free: it takes the frame's window, and runs in the extension's isolated
// world, where the page's scripts cannot reach its variables or redefine the DOM methods it calls.
import { browserView, drawn } from './browser-view';
import { formDestination } from './form-destination';
import { createLook, type ShadowOf } from './seen';
import type { FillOrder, FrameFocus, FrameSurvey } from './types';

type Field = HTMLInputElement | HTMLTextAreaElement;

const TEXT_TYPES = new Set(['', 'text', 'password', 'email', 'search', 'tel', 'url']);
/** A search box is never guessed as the field for a secret (it ends up in URLs and analytics); only when focused. */
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
 * The right-click menu's test of a selection's field (lib/selection). Fill asks more (seen.ts).
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

function namedLike(el: Field, name: string): boolean {
  const wanted = name.toLowerCase();
  return [el.name, el.id, el.getAttribute('autocomplete') ?? ''].some((n) => n.toLowerCase() === wanted);
}

type Look = ReturnType<typeof createLook>;

/**
 * Where the user's focus is in this frame, and the field when it is one Keysmith fills. What each
 * signal proves: `document.activeElement` is where the focus is now, wherever it came from (the page
 * may move it); `navigator.userActivation.hasBeenActive` says the user has clicked or typed in this
 * frame at least once (a page cannot fake it: only trusted input sets it), so without it the focus is
 * the page's own doing (`autofocus`, `focus()`) and counts as no choice at all. Which element the
 * user's last click reached is not recorded anywhere an agent injected afterwards can read, so a
 * focused field must also pass every test of sight (seen.ts): the transparent field a click landed on
 * fails them. `:focus-visible` proves nothing for text fields (they always match it) and is not used.
 */
function focusOf(win: Window & typeof globalThis, look: Look, shadowOf: ShadowOf): { focus: FrameFocus; field?: Field } {
  if (!frameFocused(win)) return { focus: { kind: 'unfocused' } };
  const doc = win.document;
  const el = doc.activeElement;
  if (!el || el === doc.body || el === doc.documentElement) return { focus: { kind: 'none' } };
  const activation = (win.navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  if (activation && !activation.hasBeenActive) return { focus: { kind: 'none' } };
  if (el.tagName === 'IFRAME' || el.tagName === 'FRAME') {
    return { focus: (el as HTMLIFrameElement).contentDocument ? { kind: 'frame' } : { kind: 'refused', reason: 'frame' } };
  }
  if (el.tagName === 'OBJECT' || el.tagName === 'EMBED') return { focus: { kind: 'refused', reason: 'frame' } };
  // The focus inside a shadow root shows as its host; what is inside cannot be checked like the page's own fields.
  if (el.shadowRoot || shadowOf(el)) return { focus: { kind: 'refused', reason: 'shadow' } };
  if ((el as HTMLElement).isContentEditable) return { focus: { kind: 'refused', reason: 'editable' } };
  if (!isEditableField(el)) return { focus: { kind: 'refused', reason: 'not-field' } };
  if (!look.sight(el).ok) return { focus: { kind: 'refused', reason: 'hidden' } };
  return { focus: { kind: 'field' }, field: el };
}

/**
 * The one clear field when the user has not chosen one: the secret's named field if exactly one is
 * seen, else the only password field seen, else the only text input seen. Two of a kind is no clear
 * choice (the user clicks the one they mean), and a textarea is never guessed: it is where comments
 * and messages go, which the page publishes.
 */
function clearField(win: Window & typeof globalThis, look: Look, field?: string): Field | undefined {
  const all = [...win.document.querySelectorAll('input, textarea')].filter(isEditableField);
  const seen = (list: Field[]) => list.filter((el) => look.sight(el).ok);
  if (field) {
    const named = seen(all.filter((el) => namedLike(el, field)));
    if (named.length > 0) return named.length === 1 ? named[0] : undefined;
  }
  const inputs = seen(all.filter((el) => el.tagName === 'INPUT' && GUESSABLE(el)));
  const passwords = inputs.filter(isPassword);
  if (passwords.length > 0) return passwords.length === 1 ? passwords[0] : undefined;
  return inputs.length === 1 ? inputs[0] : undefined;
}

/** How the popup names a field: its label's text, else its aria-label, placeholder, name or id. */
export function labelOf(el: Field): string {
  const labels = [...(el.labels ?? [])].map((l) => l.textContent ?? '').join(' ');
  const name =
    [labels, el.getAttribute('aria-label'), el.getAttribute('placeholder'), el.name, el.id].find((n) => n && n.trim() !== '') ?? el.type;
  return name.replace(/\s+/g, ' ').trim().slice(0, 60);
}

export function surveyFrame(win: Window & typeof globalThis, shadowOf: ShadowOf, field?: string): FrameSurvey {
  const look = createLook(win, shadowOf);
  const { focus, field: focused } = focusOf(win, look, shadowOf);
  const survey: FrameSurvey = { origin: win.origin, secure: win.isSecureContext, focus };
  const form = focused ? formDestination(focused, win) : undefined;
  if (form) survey.form = form;
  // Only the top frame offers a field the user did not focus.
  if (win.parent === win) {
    const clear = clearField(win, look, field);
    if (clear) {
      survey.candidate = labelOf(clear);
      const candidateForm = formDestination(clear, win);
      if (candidateForm) survey.candidateForm = candidateForm;
    }
  }
  return survey;
}

export type FillResult = 'filled' | 'changed' | 'hidden';

/**
 * Fills the field the survey chose, checking again that this frame is still the origin the background
 * approved, the field the same and still posting where the user agreed. Then it is measured twice
 * across rendered frames, before and after `focus()` (whose handlers the page runs), with our own
 * tests of sight and the browser's IntersectionObserver: a field that is seen only while Keysmith
 * focuses it, or whose box moves meanwhile, is refused. Sets the value with the element's own setter
 * and fires the events React, Vue and plain pages read.
 */
export async function fillFrame(win: Window & typeof globalThis, shadowOf: ShadowOf, order: FillOrder): Promise<FillResult> {
  if (win.origin !== order.origin) return 'changed';
  const pick = () => {
    const look = createLook(win, shadowOf);
    if (order.useFocused) return focusOf(win, look, shadowOf).field;
    const clear = clearField(win, look, order.field);
    return clear && (order.label === undefined || labelOf(clear) === order.label) ? clear : undefined;
  };
  const el = pick();
  if (!el) return 'changed';
  const routes = () => formDestination(el, win)?.key ?? '';
  const measure = () => {
    const s = createLook(win, shadowOf).sight(el);
    return s.ok ? s.box : undefined;
  };
  const first = measure();
  if (first === undefined) return 'hidden';
  const before = await browserView(el, win);
  const unchanged = () => win.origin === order.origin && el.isConnected && routes() === order.formKey && measure() === first;
  if (!drawn(before) || !unchanged()) return 'hidden';
  el.focus({ preventScroll: true });
  if (win.document.activeElement !== el || !unchanged()) return 'changed';
  const after = await browserView(el, win);
  if (!drawn(after)) return 'hidden';
  if (win.document.activeElement !== el || !unchanged()) return 'changed';
  const proto = el.tagName === 'TEXTAREA' ? win.HTMLTextAreaElement.prototype : win.HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, order.value);
  el.dispatchEvent(new win.InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: order.value }));
  el.dispatchEvent(new win.Event('change', { bubbles: true }));
  return 'filled';
}
