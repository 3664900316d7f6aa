import { toHex } from '../../lib/crypto/encoding';

export const CLIPBOARD_ALARM = 'keysmith-clear-clipboard';
const OFFSCREEN_URL = '/offscreen.html';
/** SHA-256 of what Keysmith last wrote (never the text itself), for a worker that restarted meanwhile. */
const WRITTEN_HASH = 'keysmith-clipboard-hash';

/**
 * Writes secrets to the clipboard and clears them again after the configured delay, on lock, and
 * only while the clipboard still holds what Keysmith wrote: something the user copied since is left
 * alone (as Bitwarden does, with the same clipboardRead permission). Both the write and the
 * schedule happen here, in one request, so a popup closed right after Copy cannot skip the clear.
 *
 * Chrome's service worker has no DOM and no clipboard, so it goes through an offscreen document
 * (reason CLIPBOARD, https://developer.chrome.com/docs/extensions/reference/api/offscreen); Firefox's
 * background page has a DOM and uses navigator.clipboard directly. A timer covers short delays
 * while the worker is alive; an alarm covers a worker that was stopped meanwhile. One at a time.
 */
export function createClipboard() {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  async function copy(text: string, clearAfterSeconds: number): Promise<void> {
    clearTimeout(timer);
    await write(text);
    await browser.storage.session.set({ [WRITTEN_HASH]: await sha256(text) });
    if (clearAfterSeconds > 0) {
      timer = setTimeout(() => void clear(), clearAfterSeconds * 1000);
      await browser.alarms.create(CLIPBOARD_ALARM, { when: Date.now() + clearAfterSeconds * 1000 });
    } else {
      await browser.alarms.clear(CLIPBOARD_ALARM);
    }
  }

  /** Empties the clipboard if it still holds what Keysmith wrote; forgets it either way. */
  async function clearOnce(): Promise<void> {
    clearTimeout(timer);
    await browser.alarms.clear(CLIPBOARD_ALARM);
    const written = (await browser.storage.session.get(WRITTEN_HASH))[WRITTEN_HASH];
    if (typeof written !== 'string') return;
    await browser.storage.session.remove(WRITTEN_HASH);
    const current = await read();
    // Unreadable (the browser refused): clear anyway, a lingering secret is the worse outcome.
    if (current !== undefined && (await sha256(current)) !== written) return;
    await write(' ');
  }

  const clear = () => serial(clearOnce);
  return { copy: (text: string, seconds: number) => serial(() => copy(text, seconds)), clear };
}

async function sha256(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

async function write(text: string): Promise<void> {
  const offscreen = chromeOffscreen();
  if (!offscreen) return navigator.clipboard.writeText(text);
  await viaOffscreen(offscreen, { type: 'clipboard.write', text });
}

async function read(): Promise<string | undefined> {
  try {
    const offscreen = chromeOffscreen();
    if (!offscreen) return await navigator.clipboard.readText();
    const text = await viaOffscreen(offscreen, { type: 'clipboard.read' });
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

async function viaOffscreen(offscreen: ChromeOffscreen, request: { type: string; text?: string }): Promise<unknown> {
  if (!(await offscreen.hasDocument?.())) {
    await offscreen.createDocument({
      url: OFFSCREEN_URL,
      reasons: ['CLIPBOARD'],
      justification: 'Copy a secret to the clipboard and clear it again after the configured delay',
    });
  }
  try {
    return await browser.runtime.sendMessage({ to: 'offscreen', ...request });
  } finally {
    await offscreen.closeDocument().catch(() => undefined);
  }
}

function chromeOffscreen(): ChromeOffscreen | undefined {
  return (globalThis as { chrome?: { offscreen?: ChromeOffscreen } }).chrome?.offscreen;
}

interface ChromeOffscreen {
  hasDocument?: () => Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}
