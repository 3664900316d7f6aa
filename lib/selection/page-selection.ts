// What the page agent does with a selection the user right-clicked: read it, and later replace it.
// DOM-facing, browser-API-free; runs in the extension's isolated world of the one frame clicked.
import { frameFocused, isEditableField, isVisible } from '../autofill/page';

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Where the selection was, kept in the isolated world until the user finishes in Keysmith's window. */
type Spot = { kind: 'field'; el: TextField; start: number; end: number } | { kind: 'editable'; el: HTMLElement; range: Range };

export interface CapturedSelection {
  origin: string;
  secure: boolean;
  text: string;
  /**
   * The selection (or caret) is in a field or editable element the user can see, in the frame they
   * focused, so the result can replace it. A selection the page made in a hidden field is text only.
   */
  editable: boolean;
}

const spots = new Map<string, Spot>();

/** A field Keysmith fills, except email inputs, which have no selection to read or replace. */
function isTextField(el: Element | null): el is TextField {
  return isEditableField(el) && (el.getAttribute('type') ?? '').toLowerCase() !== 'email';
}

/** Reads the selection of this frame and, in an editable field or element, remembers its spot under `token`. */
export function captureSelection(win: Window & typeof globalThis, token: string): CapturedSelection {
  const doc = win.document;
  const el = doc.activeElement;
  const base = { origin: win.origin, secure: win.isSecureContext };
  const seen = el !== null && frameFocused(win) && isVisible(el, win);
  if (isTextField(el) && seen) {
    const start = el.selectionStart ?? 0;
    const end = el.selectionEnd ?? start;
    spots.set(token, { kind: 'field', el, start, end });
    return { ...base, text: el.value.slice(start, end), editable: true };
  }
  const selection = win.getSelection();
  const text = selection?.toString() ?? '';
  if (
    el instanceof win.HTMLElement &&
    el.isContentEditable &&
    seen &&
    selection &&
    selection.rangeCount > 0 &&
    el.contains(selection.getRangeAt(0).commonAncestorContainer)
  ) {
    spots.set(token, { kind: 'editable', el, range: selection.getRangeAt(0).cloneRange() });
    return { ...base, text, editable: true };
  }
  return { ...base, text, editable: false };
}

/**
 * Puts `text` where the selection was, as typing would: through the editing command, so the
 * browser's undo restores the original and the page hears the same beforeinput/input events as for
 * a paste (React, Vue and plain pages alike). Refused when the frame is no longer `origin` or the
 * element left the page.
 */
export function replaceSelection(win: Window & typeof globalThis, token: string, origin: string, text: string): boolean {
  const spot = spots.get(token);
  if (!spot || win.origin !== origin || !spot.el.isConnected) return false;
  spots.delete(token);
  spot.el.focus();
  // focus() ran the page's handlers: the text goes only where the user's selection was.
  if (win.document.activeElement !== spot.el) return false;
  if (spot.kind === 'field') {
    spot.el.setSelectionRange(spot.start, spot.end);
  } else {
    if (!spot.el.contains(spot.range.commonAncestorContainer)) return false;
    const selection = win.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(spot.range);
  }
  if (win.document.execCommand('insertText', false, text)) return true;
  // Without the editing command (a field some browsers refuse it in): set the text, announce it.
  if (spot.kind !== 'field') return false;
  spot.el.setRangeText(text, spot.start, spot.end, 'end');
  spot.el.dispatchEvent(new win.InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: text }));
  return true;
}
