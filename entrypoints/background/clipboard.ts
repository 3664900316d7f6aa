export const CLIPBOARD_ALARM = 'keysmith-clear-clipboard';
const OFFSCREEN_URL = '/offscreen.html';

/**
 * Clears the clipboard some seconds after a secret was copied. An MV3 service worker has no DOM
 * and no clipboard, so Chrome clears it from an offscreen document (reason CLIPBOARD,
 * https://developer.chrome.com/docs/extensions/reference/api/offscreen); Firefox's background
 * page has a DOM and clears it directly. A timer covers short delays while the worker is alive;
 * an alarm covers a worker that was stopped meanwhile. Clears run one at a time.
 */
export function createClipboardClearer() {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<void> = Promise.resolve();

  async function clearOnce() {
    clearTimeout(timer);
    await browser.alarms.clear(CLIPBOARD_ALARM);
    const offscreen = (globalThis as { chrome?: { offscreen?: ChromeOffscreen } }).chrome?.offscreen;
    if (!offscreen) return navigator.clipboard.writeText('');
    if (!(await offscreen.hasDocument?.())) {
      await offscreen.createDocument({
        url: OFFSCREEN_URL,
        reasons: ['CLIPBOARD'],
        justification: 'Clear a copied secret from the clipboard after the configured delay',
      });
    }
    try {
      await browser.runtime.sendMessage({ target: 'offscreen', type: 'clipboard.clear' });
    } finally {
      await offscreen.closeDocument();
    }
  }

  /** Serialised: the timer and the alarm may both fire; the second finds nothing left to do. */
  function clear(): Promise<void> {
    queue = queue.then(clearOnce, clearOnce);
    return queue;
  }

  return {
    clear,
    async schedule(seconds: number) {
      clearTimeout(timer);
      timer = setTimeout(() => void clear(), seconds * 1000);
      await browser.alarms.create(CLIPBOARD_ALARM, { when: Date.now() + seconds * 1000 });
    },
  };
}

interface ChromeOffscreen {
  hasDocument?: () => Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}
