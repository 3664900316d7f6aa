const ALARM = 'keysmith-clear-clipboard';
const OFFSCREEN_URL = '/offscreen.html';

/**
 * Clears the clipboard some seconds after a secret was copied. An MV3 service worker has no DOM
 * and no clipboard, so Chrome clears it from an offscreen document (reason CLIPBOARD,
 * https://developer.chrome.com/docs/extensions/reference/api/offscreen); Firefox's background
 * page has a DOM and clears it directly. A timer covers short delays while the worker is alive;
 * an alarm covers a worker that was stopped meanwhile.
 */
export function createClipboardClearer() {
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function clear() {
    clearTimeout(timer);
    await browser.alarms.clear(ALARM);
    const offscreen = (globalThis as { chrome?: { offscreen?: ChromeOffscreen } }).chrome?.offscreen;
    if (offscreen) {
      if (!(await offscreen.hasDocument?.())) {
        await offscreen.createDocument({
          url: OFFSCREEN_URL,
          reasons: ['CLIPBOARD'],
          justification: 'Clear a copied secret from the clipboard after the configured delay',
        });
      }
      await browser.runtime.sendMessage({ target: 'offscreen', type: 'clipboard.clear' });
      await offscreen.closeDocument();
    } else {
      await navigator.clipboard.writeText('');
    }
  }

  return {
    clear,
    async schedule(seconds: number) {
      clearTimeout(timer);
      timer = setTimeout(() => void clear(), seconds * 1000);
      await browser.alarms.create(ALARM, { when: Date.now() + seconds * 1000 });
    },
    register() {
      browser.alarms.onAlarm.addListener((alarm) => {
        if (alarm.name === ALARM) void clear();
      });
    },
  };
}

interface ChromeOffscreen {
  hasDocument?: () => Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}
