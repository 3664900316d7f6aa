// Where a form would send a field: every way it can be submitted, as markup alone allows.
import type { FormDestination } from './types';

const SUBMITTER_TYPES = new Set(['submit', 'image']);

/**
 * The form's own action, method and target (or `<base target>`), and those of every submit control
 * associated with it: descendants and controls elsewhere in the document tied to it with `form=`,
 * `<input type=image>` included (`form.elements` leaves image buttons out, HTML §4.10.18.3), and a
 * `<button>` with no type (a submit button by default). `requestSubmit(submitter)` accepts only these
 * controls, so they are also every target it may use. Attributes are read through the prototypes,
 * not `form.action`, which a field named "action" shadows (DOM clobbering); URLs resolve against the
 * document's base URL (`<base href>`), as the browser resolves them, and a form with no action posts
 * to the document's own URL (HTML §4.10.21.3). A page whose scripts want the value have it anyway once
 * it is typed; this rule is about what markup alone (an injected `<input type=image form=…>`) can do.
 */
export function formDestination(
  field: HTMLInputElement | HTMLTextAreaElement,
  win: Window & typeof globalThis,
): FormDestination | undefined {
  const formOf = (el: Element) =>
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'form')?.get?.call(el) as HTMLFormElement | null | undefined;
  const form = formOf(field);
  if (!form) return undefined;
  const attr = (el: Element, name: string) => win.Element.prototype.getAttribute.call(el, name);
  const doc = win.document;
  const resolve = (url: string | null) => {
    if (url === null || url === '') return doc.URL;
    try {
      return new URL(url, doc.baseURI).href;
    } catch {
      return 'invalid:';
    }
  };
  const baseTarget = attr(doc.querySelector('base[target]') ?? doc.documentElement, 'target') ?? '';
  const formAction = resolve(attr(form, 'action'));
  const formMethod = (attr(form, 'method') ?? 'get').toLowerCase();
  const formTarget = attr(form, 'target') ?? baseTarget;
  const routes = [`${formMethod} ${formAction} ${formTarget}`];
  for (const control of doc.querySelectorAll('button, input')) {
    if (formOf(control) !== form) continue;
    const type =
      control.tagName === 'BUTTON' ? (attr(control, 'type') ?? 'submit').toLowerCase() : (attr(control, 'type') ?? '').toLowerCase();
    // A button whose type is not a known one is a submit button too (the attribute's invalid value default).
    const submits = SUBMITTER_TYPES.has(type) || (control.tagName === 'BUTTON' && type !== 'button' && type !== 'reset');
    if (!submits) continue;
    const action = attr(control, 'formaction');
    routes.push(
      `${(attr(control, 'formmethod') ?? formMethod).toLowerCase()} ${action === null ? formAction : resolve(action)} ${attr(control, 'formtarget') ?? formTarget}`,
    );
  }
  const origins = [...new Set(routes.map((r) => originOf(r.split(' ')[1]!)))];
  return { origins, key: [...new Set(routes)].sort().join('\n') };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
