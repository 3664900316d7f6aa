// "Could a person see and use this field?", answered from what an extension may read in the page:
// geometry, computed styles up the composed tree, hit testing and colours. Browser-API-free.
import { contrast, over, parseColour, WHITE, type Rgba } from './colour';

type Win = Window & typeof globalThis;
/** The shadow root of an element, open or closed, as the extension's isolated world may read it (none: null). */
export type ShadowOf = (el: Element) => ShadowRoot | null;

/**
 * Usable size: WCAG 2.2 SC 2.5.8 (Target Size, Minimum) asks 24 × 24 CSS px for a target. A browser's own
 * text input is 18–21 px tall (the SC's user-agent exception), so the height asked is 16: a line of text.
 */
export const MIN_WIDTH = 24;
export const MIN_HEIGHT = 16;
/** Text against its background: 3:1, WCAG 2.2 SC 1.4.3's floor for large text and SC 1.4.11's for UI components. */
export const MIN_TEXT_CONTRAST = 3;
/** The field's edge (border, background or shadow) must differ at all from what is around it: a box a person can find. */
export const MIN_EDGE_CONTRAST = 1.1;
/** Opacity through every ancestor. */
export const MIN_OPACITY = 0.5;
/** Text smaller than this, after scaling, is not read. */
export const MIN_FONT_PX = 8;
/** Share of the field's box (border included) that must be inside the viewport: mostly on screen. */
export const MIN_ON_SCREEN = 0.5;

export type Unseen =
  | 'small'
  | 'hidden'
  | 'faded'
  | 'filtered'
  | 'transformed'
  | 'faint'
  | 'edgeless'
  | 'off-screen'
  | 'covered'
  | 'unknown';
export type Sight = { ok: true; box: string } | { ok: false; why: Unseen };

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** One look at a frame: what paints without taking clicks is listed once and reused for every field. */
export function createLook(win: Win, shadowOf: ShadowOf) {
  const painters = new Map<Document, Element[]>();
  const paintersOf = (w: Win) => {
    let list = painters.get(w.document);
    if (!list) painters.set(w.document, (list = clickThrough(w, shadowOf)));
    return list;
  };
  return { sight: (el: Element) => sight(el, win, shadowOf, paintersOf) };
}

function sight(el: Element, win: Win, shadowOf: ShadowOf, paintersOf: (w: Win) => Element[]): Sight {
  const rect = el.getBoundingClientRect();
  if (rect.width < MIN_WIDTH || rect.height < MIN_HEIGHT) return { ok: false, why: 'small' };
  if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true } as CheckVisibilityOptions)) return { ok: false, why: 'hidden' };
  const style = win.getComputedStyle(el);
  const chain = composedChain(el, shadowOf);
  const styled = checkChain(chain, win);
  if (styled) return { ok: false, why: styled };

  // The text box: the border box less borders and padding, scaled as drawn (transforms, zoom).
  const html = el as HTMLElement;
  if (html.offsetWidth === 0 || html.offsetHeight === 0) return { ok: false, why: 'hidden' };
  const sx = rect.width / html.offsetWidth;
  const sy = rect.height / html.offsetHeight;
  const px = (p: string) => Number.parseFloat(style.getPropertyValue(p)) || 0;
  const text: Box = {
    left: rect.left + (px('border-left-width') + px('padding-left')) * sx,
    right: rect.right - (px('border-right-width') + px('padding-right')) * sx,
    top: rect.top + (px('border-top-width') + px('padding-top')) * sy,
    bottom: rect.bottom - (px('border-bottom-width') + px('padding-bottom')) * sy,
  };
  if (text.right - text.left < MIN_FONT_PX || text.bottom - text.top < MIN_FONT_PX) return { ok: false, why: 'small' };
  if (px('font-size') * Math.min(sx, sy) < MIN_FONT_PX) return { ok: false, why: 'small' };

  const colours = readable(el, chain, win, shadowOf);
  if (colours) return { ok: false, why: colours };

  // Mostly on screen, its text box wholly, and nothing over it, in this frame and every frame above.
  const onScreen = placed(el, rect, text, win, shadowOf, paintersOf);
  if (onScreen) return { ok: false, why: onScreen };
  const r = (n: number) => Math.round(n);
  return { ok: true, box: `${r(rect.left)},${r(rect.top)},${r(rect.width)},${r(rect.height)}` };
}

/** The element and its ancestors in the flat tree (slots and shadow hosts included), up to the document. */
function composedChain(el: Element, shadowOf: ShadowOf): Element[] {
  const chain: Element[] = [];
  for (let node: Element | null = el; node; node = composedParent(node, shadowOf)) chain.push(node);
  return chain;
}

function composedParent(node: Element, shadowOf: ShadowOf): Element | null {
  const parent = node.parentElement;
  if (parent) {
    const root = shadowOf(parent);
    // A host's children render only through the slot they are assigned to (a closed root's too).
    if (root) return node.assignedSlot ?? [...root.querySelectorAll('slot')].find((s) => s.assignedElements().includes(node)) ?? null;
    return parent;
  }
  const up = node.parentNode;
  return up && 'host' in up ? (up as ShadowRoot).host : null;
}

/**
 * Styles that hide what geometry and hit testing still report: opacity compounded through every
 * ancestor, any `filter` (`filter: opacity(0)`), `mix-blend-mode` (a field blended into its
 * background), `mask`, and transforms other than scaling and moving (a rotated or 3-D field's box is
 * not where it is drawn). Where an extension cannot tell what is drawn, it refuses.
 */
function checkChain(chain: readonly Element[], win: Win): Unseen | undefined {
  let opacity = 1;
  for (const node of chain) {
    const s = win.getComputedStyle(node);
    if (s.display === 'none') return 'hidden';
    opacity *= Number.parseFloat(s.opacity);
    if (opacity < MIN_OPACITY) return 'faded';
    if (s.filter !== 'none' || s.mixBlendMode !== 'normal' || (s.maskImage && s.maskImage !== 'none')) return 'filtered';
    if (s.getPropertyValue('-webkit-mask-image') && !['none', ''].includes(s.getPropertyValue('-webkit-mask-image'))) return 'filtered';
    if (s.rotate && s.rotate !== 'none') return 'transformed';
    if (s.transform !== 'none') {
      const m = /^matrix\(([^)]+)\)$/.exec(s.transform);
      const v = m?.[1]?.split(',').map(Number);
      if (v?.[1] !== 0 || v[2] !== 0 || v[0]! <= 0 || v[3]! <= 0) return 'transformed';
    }
  }
  return undefined;
}

/**
 * Text that contrasts with what is behind it (WCAG contrast of the text colour, composited, over the
 * background composited down the ancestors to the canvas), and an edge a person can find. A
 * background image on the way (a gradient, a picture) cannot be read as a colour: unknown, refused.
 */
function readable(el: Element, chain: readonly Element[], win: Win, shadowOf: ShadowOf): Unseen | undefined {
  const style = win.getComputedStyle(el);
  const behind = backdrop(chain.slice(1), win, shadowOf);
  const own = parseColour(style.backgroundColor);
  if (!behind || !own || style.backgroundImage !== 'none') return 'unknown';
  const fill = over(own, behind);
  const textColour = parseColour(style.getPropertyValue('-webkit-text-fill-color') || style.color);
  if (!textColour) return 'unknown';
  if (contrast(over(textColour, fill), fill) < MIN_TEXT_CONTRAST) return 'faint';
  const sides = ['top', 'right', 'bottom', 'left'].some((side) => {
    const width = Number.parseFloat(style.getPropertyValue(`border-${side}-width`)) || 0;
    const kind = style.getPropertyValue(`border-${side}-style`);
    const colour = parseColour(style.getPropertyValue(`border-${side}-color`));
    return (
      width >= 1 &&
      kind !== 'none' &&
      kind !== 'hidden' &&
      colour !== undefined &&
      contrast(over(colour, behind), behind) >= MIN_EDGE_CONTRAST
    );
  });
  const shadow = style.boxShadow !== 'none';
  const outline = style.outlineStyle !== 'none' && (Number.parseFloat(style.outlineWidth) || 0) >= 1;
  if (!sides && !shadow && !outline && contrast(fill, behind) < MIN_EDGE_CONTRAST) return 'edgeless';
  return undefined;
}

/** The colour behind the chain's first element: ancestors' backgrounds, then the parent frame's, then the white canvas. */
function backdrop(ancestors: readonly Element[], win: Win, shadowOf: ShadowOf): Rgba | undefined {
  const layers: Rgba[] = [];
  for (const node of ancestors) {
    const s = win.getComputedStyle(node);
    const colour = parseColour(s.backgroundColor);
    if (!colour) return undefined;
    if (s.backgroundImage !== 'none') return undefined;
    layers.push(colour);
    if (colour.a === 1) break;
  }
  let base = WHITE;
  const last = layers.at(-1);
  if (!last || last.a < 1) {
    // A frame's canvas is transparent: what shows through is its frame element's surroundings.
    const frame = win.frameElement;
    if (frame) {
      const parentWin = win.parent as Win;
      const parentBase = backdrop(composedChain(frame, shadowOf), parentWin, shadowOf);
      if (!parentBase) return undefined;
      base = parentBase;
    } else if (win.parent !== win) {
      return undefined;
    }
  }
  return layers.reduceRight((acc, layer) => over(layer, acc), base);
}

/**
 * On screen and on top: the box mostly in the viewport, and a grid of points over its text box each
 * inside the viewport and hitting the field itself (nothing painted over it, no clip-path or overflow
 * cutting it), then the same points mapped into each same-origin parent frame hitting the frame
 * element. What paints without taking clicks is invisible to hit testing, so any such element (or
 * pseudo-element) over the box, and a top-layer backdrop, counts as covering it.
 */
function placed(
  el: Element,
  rect: DOMRect,
  text: Box,
  win: Win,
  shadowOf: ShadowOf,
  paintersOf: (w: Win) => Element[],
): Unseen | undefined {
  let points = grid(text);
  let box: Box = rect;
  // What hit testing must land in: the field, then the frame element that holds its document.
  let subject: Element = el;
  for (let w = win; ; ) {
    const visible =
      Math.max(0, Math.min(box.right, w.innerWidth) - Math.max(box.left, 0)) *
      Math.max(0, Math.min(box.bottom, w.innerHeight) - Math.max(box.top, 0));
    if (visible < MIN_ON_SCREEN * (box.right - box.left) * (box.bottom - box.top)) return 'off-screen';
    const root = subject.getRootNode() as Document | ShadowRoot;
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= w.innerWidth || y >= w.innerHeight) return 'off-screen';
      const hit = root.elementFromPoint(x, y);
      if (hit !== subject && !(hit && subject.contains(hit))) return 'covered';
    }
    if (paintedOver(subject, box, w, shadowOf, paintersOf(w))) return 'covered';
    const frame = w.frameElement;
    if (!frame) return w.parent === w ? undefined : 'unknown';
    const parentWin = w.parent as Win;
    const styled = checkChain(composedChain(frame, shadowOf), parentWin);
    if (styled) return styled;
    // Into the parent's coordinates: the frame's box, its border and padding, and its scale.
    const fr = frame.getBoundingClientRect();
    const fs = parentWin.getComputedStyle(frame);
    const f = frame as HTMLElement;
    const fx = f.offsetWidth ? fr.width / f.offsetWidth : 1;
    const fy = f.offsetHeight ? fr.height / f.offsetHeight : 1;
    const ox = fr.left + (frame.clientLeft + (Number.parseFloat(fs.paddingLeft) || 0)) * fx;
    const oy = fr.top + (frame.clientTop + (Number.parseFloat(fs.paddingTop) || 0)) * fy;
    points = points.map(([x, y]) => [ox + x * fx, oy + y * fy]);
    box = { left: ox + box.left * fx, right: ox + box.right * fx, top: oy + box.top * fy, bottom: oy + box.bottom * fy };
    subject = frame;
    w = parentWin;
  }
}

/** 4 × 3 points inside the box, away from its edges. */
function grid(box: Box): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 3; j++) {
      points.push([box.left + ((i + 0.5) / 4) * (box.right - box.left), box.top + ((j + 0.5) / 3) * (box.bottom - box.top)]);
    }
  }
  return points;
}

/**
 * Elements that paint but let clicks through (`pointer-events: none`), or carry such pseudo-elements:
 * in the document and inside every shadow root, open or closed.
 */
function clickThrough(win: Win, shadowOf: ShadowOf): Element[] {
  const out: Element[] = [];
  const roots: (Document | ShadowRoot)[] = [win.document];
  for (let root = roots.pop(); root; root = roots.pop()) {
    for (const node of root.querySelectorAll('*')) {
      const inner = shadowOf(node);
      if (inner) roots.push(inner);
      const s = win.getComputedStyle(node);
      if (s.pointerEvents === 'none' && s.visibility === 'visible' && s.display !== 'none' && s.display !== 'contents') out.push(node);
      else if (['::before', '::after'].some((p) => hiddenPseudo(win.getComputedStyle(node, p)))) out.push(node);
    }
  }
  return out;
}

const hiddenPseudo = (s: CSSStyleDeclaration) =>
  s.content !== 'none' && s.content !== 'normal' && s.pointerEvents === 'none' && (s.position === 'absolute' || s.position === 'fixed');

function paintedOver(subject: Element, box: Box, win: Win, shadowOf: ShadowOf, painters: readonly Element[]): boolean {
  const chain = composedChain(subject, shadowOf);
  const overlaps = (r: Box) => r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top;
  for (const node of painters) {
    if (subject.contains(node) || (subject.shadowRoot ?? shadowOf(subject))?.contains(node)) continue;
    const style = win.getComputedStyle(node);
    const ownPaint = style.pointerEvents === 'none' && !chain.includes(node);
    // A pseudo-element's box cannot be read: one on an ancestor, or on an element over the field, may cover it.
    const pseudo = ['::before', '::after'].some((p) => hiddenPseudo(win.getComputedStyle(node, p)));
    if ((ownPaint || pseudo) && (chain.includes(node) || overlaps(node.getBoundingClientRect()))) return true;
  }
  // A top-layer element (open popover, modal dialog) not holding the field draws its backdrop over the page.
  let layers: Element[] = [];
  try {
    layers = [...win.document.querySelectorAll(':popover-open, dialog:modal')];
  } catch {
    return true; // a browser without these selectors: cannot tell
  }
  for (const layer of layers) {
    if (chain.includes(layer)) continue;
    const backdropStyle = win.getComputedStyle(layer, '::backdrop');
    const colour = parseColour(backdropStyle.backgroundColor);
    if (!colour || colour.a > 0 || (backdropStyle.backdropFilter && backdropStyle.backdropFilter !== 'none')) return true;
  }
  return false;
}
