import type { CapturedSelection } from '../../lib/selection/page-selection';
import type { SelectionAction, SelectionJob } from '../../lib/selection/types';
import type { SelectionHooks } from '../../lib/messages/selection-handlers';
import { injectAgent, type AgentGlobal, type FrameRef } from './page-agent-api';

const MENUS: {
  id: string;
  action: SelectionAction;
  title: 'menuEncrypt' | 'menuDecrypt' | 'menuInsert';
  contexts: ['selection'] | ['editable'];
}[] = [
  { id: 'keysmith-encrypt', action: 'encrypt', title: 'menuEncrypt', contexts: ['selection'] },
  { id: 'keysmith-decrypt', action: 'decrypt', title: 'menuDecrypt', contexts: ['selection'] },
  { id: 'keysmith-insert', action: 'insert', title: 'menuInsert', contexts: ['editable'] },
];
/** A job waits this long for the user to finish in Keysmith's window. */
const JOB_LIFETIME_MS = 10 * 60_000;
/**
 * Jobs live in storage.session (memory only, trusted contexts only, like the session secret), not
 * in the worker's variables: Chrome stops an idle worker after 30 s, which is less than a user may
 * take to type the master password in the window.
 */
const JOB_PREFIX = 'keysmith-selection-job:';

interface Job extends SelectionJob {
  tabId: number;
  frameId: number;
  documentId?: string;
  windowId?: number;
  expires: number;
}

/** White space differs between the browser's copy of a selection and the DOM's; nothing else may. */
const sameText = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/**
 * The right-click menu. Its items have fixed titles, never a key's name: Chromium writes menu items
 * to the profile ("Extension State") so they survive a restart, and a name must not reach the disk
 * in the clear. The choice of key is made in Keysmith's window instead.
 */
export function createSelectionMenu() {
  const session = browser.storage.session;
  const save = (job: Job) => session.set({ [JOB_PREFIX + job.id]: job });
  const drop = (id: string) => session.remove(JOB_PREFIX + id);
  async function all(): Promise<Job[]> {
    const stored = await session.get(null);
    return Object.entries(stored).flatMap(([key, job]) => (key.startsWith(JOB_PREFIX) ? [job as Job] : []));
  }

  function install(): void {
    void browser.contextMenus.removeAll().then(() => {
      for (const m of MENUS) browser.contextMenus.create({ id: m.id, title: browser.i18n.getMessage(m.title), contexts: m.contexts });
    });
  }

  /**
   * The browser's menu click: `tab` and `info.frameId` say which frame the user right-clicked, and
   * the click grants activeTab on that tab. The selection is read in that frame only, and the
   * user finishes in Keysmith's window, which the page cannot see or click.
   */
  async function clicked(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab): Promise<void> {
    const menu = MENUS.find((m) => m.id === info.menuItemId);
    if (!menu || tab?.id === undefined) return;
    const job = await start(menu.action, tab.id, info.frameId ?? 0, info);
    await openWindow(job);
  }

  async function start(
    action: SelectionAction,
    tabId: number,
    frameId: number | 'focused',
    info: Partial<Browser.contextMenus.OnClickData> = {},
  ): Promise<Job> {
    for (const job of await all()) if (job.expires < Date.now()) await drop(job.id);
    const id = crypto.randomUUID();
    const captured = await capture(tabId, frameId, id, info);
    // The browser's own copy of the selection (a menu click has one) is what the user selected: a
    // frame that reports other text (a page that moved the focus to its own field) is not believed.
    const attested = info.selectionText;
    const job: Job =
      attested !== undefined && !sameText(captured.text, attested)
        ? { ...captured, id, action, tabId, text: attested, editable: false, expires: Date.now() + JOB_LIFETIME_MS }
        : { ...captured, id, action, tabId, expires: Date.now() + JOB_LIFETIME_MS };
    await save(job);
    return job;
  }

  async function openWindow(job: SelectionJob): Promise<void> {
    const opened = await browser.windows.create({
      url: `${browser.runtime.getURL('/selection.html')}#${job.id}`,
      type: 'popup',
      width: 440,
      height: 560,
    });
    const stored = (await session.get(JOB_PREFIX + job.id))[JOB_PREFIX + job.id] as Job | undefined;
    if (stored && opened?.id !== undefined) await save({ ...stored, windowId: opened.id });
  }

  /**
   * Reads the selection in `frameId`, or for a keyboard command (which names no frame) in every
   * frame Keysmith may reach, keeping the one where the user's focus is (an editable one first).
   */
  async function capture(tabId: number, frameId: number | 'focused', token: string, info: Partial<Browser.contextMenus.OnClickData>) {
    try {
      const frames: FrameRef = frameId === 'focused' ? { tabId, allFrames: true } : { tabId, frameIds: [frameId] };
      await injectAgent(frames);
      const results = await browser.scripting.executeScript({
        target: frames,
        // Runs in the page's frame: serialised, so it may use nothing from this module.
        func: (t: string) => (globalThis as unknown as AgentGlobal).keysmithAgent?.capture(t) ?? null,
        args: [token],
      } as never);
      const answered = results.filter((r) => r.result);
      const seen = (r: (typeof results)[number]) => (r.result as CapturedSelection).editable;
      const has = (r: (typeof results)[number]) => (r.result as CapturedSelection).text !== '';
      const result = answered.find(seen) ?? answered.find(has) ?? answered[0];
      if (!result) throw new Error('no answer from the frame');
      const documentId = (result as { documentId?: string }).documentId;
      return { ...(result.result as CapturedSelection), frameId: result.frameId, ...(documentId ? { documentId } : {}) };
    } catch {
      // A page the browser keeps extensions out of (its own pages, the web store, the PDF viewer):
      // the menu's own copy of the selection can still be encrypted or decrypted, to the clipboard.
      let origin = '';
      try {
        origin = new URL(info.frameUrl ?? info.pageUrl ?? '').origin;
      } catch {
        /* no page address */
      }
      return { origin, secure: true, text: info.selectionText ?? '', editable: false, refused: true, frameId: 0 };
    }
  }

  /** Lock, or the window closed: the selected text and anything decrypted from it are dropped. */
  async function forget(which: (job: Job) => boolean): Promise<void> {
    for (const job of await all()) if (which(job)) await drop(job.id);
  }

  const hooks: SelectionHooks = {
    async job(id) {
      const job = (await session.get(JOB_PREFIX + id))[JOB_PREFIX + id] as Job | undefined;
      if (job && job.expires < Date.now()) await drop(id);
      return job && job.expires >= Date.now() ? job : undefined;
    },
    save: (job) => save(job as Job),
    async replace(job, text) {
      const { tabId, frameId, documentId } = job as Job;
      const frame: FrameRef = documentId ? { tabId, documentIds: [documentId] } : { tabId, frameIds: [frameId] };
      const [result] = await browser.scripting
        .executeScript({
          target: frame,
          func: (t: string, o: string, x: string) => (globalThis as unknown as AgentGlobal).keysmithAgent?.replace(t, o, x) ?? false,
          args: [job.id, job.origin, text],
        } as never)
        .catch(() => []);
      return result?.result === true;
    },
    finish: (job) => drop(job.id),
  };

  return {
    install,
    clicked,
    start,
    openWindow,
    hooks,
    windowClosed: (windowId: number) => forget((job) => job.windowId === windowId),
    locked: () => forget(() => true),
  };
}
