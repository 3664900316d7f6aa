// The browser's own answer to "how much of this element is drawn, and is it drawn unobscured":
// IntersectionObserver (https://w3c.github.io/IntersectionObserver/), with v2's `trackVisibility`
// where the browser has it (Chromium: https://w3c.github.io/IntersectionObserver/v2/).

type Win = Window & typeof globalThis;

/** Share of the element's box inside the top-level viewport, clipped by every frame and scroller on the way. */
export const MIN_RATIO = 0.5;

export interface BrowserView {
  ratio: number;
  /** v2's verdict: seen, unoccluded, unfiltered, unfaded; undefined where the browser has no v2 (Firefox). */
  visible: boolean | undefined;
}

/**
 * One observation, which arrives at the next rendering update (so it also marks a frame boundary).
 * v2's verdict is strict (an ancestor with opacity < 1 counts as hidden) and sees what hit testing
 * looks through (an opaque overlay with `pointer-events: none`, CSS filters, content drawn over a
 * frame); its ratio catches a box clipped to a dot or drawn mostly off screen. No answer within a
 * second (a frame that is not rendered) counts as not drawn.
 */
export function browserView(el: Element, win: Win): Promise<BrowserView> {
  const v2 = 'isVisible' in win.IntersectionObserverEntry.prototype;
  return new Promise((resolve) => {
    const observer = new win.IntersectionObserver(
      ([entry]) => {
        observer.disconnect();
        const visible = (entry as (IntersectionObserverEntry & { isVisible?: boolean }) | undefined)?.isVisible;
        resolve({ ratio: entry?.intersectionRatio ?? 0, visible: v2 ? visible === true : undefined });
      },
      (v2
        ? { trackVisibility: true, delay: 100, threshold: [0, MIN_RATIO, 1] }
        : { threshold: [0, MIN_RATIO, 1] }) as IntersectionObserverInit,
    );
    observer.observe(el);
    win.setTimeout(() => {
      observer.disconnect();
      resolve({ ratio: 0, visible: v2 ? false : undefined });
    }, 1000);
  });
}

export const drawn = (view: BrowserView) => view.ratio >= MIN_RATIO && view.visible !== false;
