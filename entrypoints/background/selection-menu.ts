import type { CapturedSelection } from '../../lib/selection/page-selection';
import type { SelectionAction, SelectionJob } from '../../lib/selection/types';
import type { SelectionHooks } from '../../lib/messages/selection-handlers';

const AGENT_FILE = '/page-agent.js';
const MENUS: { id: string; action: SelectionAction; title: 'menuEncrypt' | 'menuDecrypt' | 'menuInsert'; contexts: ['selection'] | ['editable'] }[] = [
  { id: 'keysmith-encrypt', action: 'encrypt', title: 'menuEncrypt', contexts: ['selection'] },
  { id: 'keysmith-decrypt', action: 'decrypt', title: 'menuDecrypt', contexts: ['selection'] },
  { id: 'keysmith-insert', action: 'insert', title: 'menuInsert', contexts: ['editable'] },
];
/** A job waits this long for the user to finish in Keysmith's window. */
const JOB_LIFETIME_MS = 10 * 60_000;

interface Job extends SelectionJob {
  tabId: number;
  frameId: number;
  documentId?: string;
  expires: number;
}

interface Agent {
  capture(token: string): CapturedSelection;
  replace(token: string, origin: string, text: string): boolean;
}

/**
 * The right-click menu. Its items have fixed titles, never a key's name: Chromium writes menu items
 * to the profile ("Extension State") so they survive a restart, and a name must not reach the disk
 * in the clear. The choice of key is made in Keysmith's window instead.
 */
export function createSelectionMenu() {
  const jobs = new Map<string, Job>();

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
    await openWindow(job.id);
  }

  async function start(action: SelectionAction, tabId: number, frameId: number | 'focused', info: Partial<Browser.contextMenus.OnClickData> = {}): Promise<Job> {
    for (const [id, job] of jobs) if (job.expires < Date.now()) jobs.delete(id);
    const id = crypto.randomUUID();
    const job: Job = { id, action, tabId, expires: Date.now() + JOB_LIFETIME_MS, ...(await capture(tabId, frameId, id, info)) };
    jobs.set(id, job);
    return job;
  }

  async function openWindow(jobId: string): Promise<void> {
    await browser.windows.create({ url: `${browser.runtime.getURL('/selection.html')}#${jobId}`, type: 'popup', width: 440, height: 540 });
  }

  /**
   * Reads the selection in `frameId`, or for a keyboard command (which names no frame) in every
   * frame Keysmith may reach, keeping the one that holds a selection, an editable one first.
   */
  async function capture(tabId: number, frameId: number | 'focused', token: string, info: Partial<Browser.contextMenus.OnClickData>) {
    try {
      const target = frameId === 'focused' ? { tabId, allFrames: true } : { tabId, frameIds: [frameId] };
      await browser.scripting.executeScript({ target, files: [AGENT_FILE] });
      const results = await browser.scripting.executeScript({
        target,
        // Runs in the page's frame: serialised, so it may use nothing from this module.
        func: (t: string) => (globalThis as unknown as { keysmithAgent: Agent }).keysmithAgent.capture(t),
        args: [token],
      } as never);
      const answered = results.filter((r) => r.result);
      const has = (r: (typeof results)[number]) => (r.result as CapturedSelection).text !== '';
      const result = answered.find((r) => has(r) && (r.result as CapturedSelection).editable) ?? answered.find(has) ?? answered[0];
      if (!result) throw new Error('no answer from the frame');
      const documentId = (result as { documentId?: string }).documentId;
      return { ...(result.result as CapturedSelection), frameId: result.frameId, ...(documentId ? { documentId } : {}) };
    } catch {
      // A page the browser keeps extensions out of (its own pages, the web store, the PDF viewer):
      // the menu's own copy of the selection can still be encrypted or decrypted, to the clipboard.
      let origin = '';
      try {
        origin = new URL(info.frameUrl ?? info.pageUrl ?? '').origin;
      } catch { /* no page address */ }
      return { origin, secure: true, text: info.selectionText ?? '', editable: false, refused: true, frameId: 0 };
    }
  }

  const hooks: SelectionHooks = {
    job: (id) => {
      const job = jobs.get(id);
      return job && job.expires >= Date.now() ? job : undefined;
    },
    async replace(job, text) {
      const { tabId, frameId, documentId } = job as Job;
      const target = documentId ? { tabId, documentIds: [documentId] } : { tabId, frameIds: [frameId] };
      const [result] = await browser.scripting
        .executeScript({
          target,
          func: (t: string, o: string, x: string) => (globalThis as unknown as { keysmithAgent: Agent }).keysmithAgent.replace(t, o, x),
          args: [job.id, job.origin, text],
        } as never)
        .catch(() => []);
      return result?.result === true;
    },
    finish: (job) => void jobs.delete(job.id),
  };

  return { install, clicked, start, openWindow, hooks };
}
