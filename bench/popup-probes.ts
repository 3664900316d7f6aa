/**
 * What bench/popup.ts measures in the browser, each on the page's own clock: a popup opening, a
 * search keystroke, the background's share of it, the JS heap, and the same opening on an empty
 * page (the floor any extension page pays here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { EXTENSION_DIR, extensionIdOf, launchWithExtension } from '../tests/e2e/fixtures';

export interface Opening {
  /** Navigation start → the frame after the first secret row entered the DOM, on the popup's own clock. */
  total: number;
  /** Navigation start → the popup's script asks the background. */
  loaded: number;
  /** The background's answer to 'vault.open', round trip. */
  answered: number;
  /** Navigation start → Playwright's own polling first saw the row: the harness's later look, for comparison. */
  polled: number;
}

/**
 * Installed before any of the page's scripts run: marks when the first secret row enters the DOM,
 * and then the end of the next frame (a task queued from requestAnimationFrame runs once that frame's
 * rendering is done). The clock stops there, not when Playwright's polling, which needs its own
 * injected script and a round trip, happens to look.
 */
const MARK_FIRST_ROW = `new MutationObserver((_, observer) => {
  if (!document.querySelector('[role="option"]')) return;
  observer.disconnect();
  performance.mark('bench:row');
  requestAnimationFrame(() => setTimeout(() => performance.mark('bench:painted'), 0));
}).observe(document, { childList: true, subtree: true });`;

/** A fresh page each time, as each click on the toolbar button opens a new popup document. */
export async function openToList(context: BrowserContext, url: string): Promise<Opening> {
  const page = await context.newPage();
  await page.addInitScript('globalThis.__name = (fn) => fn');
  await page.addInitScript(MARK_FIRST_ROW);
  await page.goto(url);
  const handle = await page.waitForFunction(
    () => {
      const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
      const painted = at('bench:painted');
      if (painted === undefined) return false;
      return {
        total: painted,
        loaded: at('keysmith:open-asked')!,
        answered: at('keysmith:open-answered')! - at('keysmith:open-asked')!,
        polled: performance.now(),
      };
    },
    null,
    { polling: 'raf' },
  );
  const opening = (await handle.jsonValue()) as Opening;
  await page.close();
  return opening;
}

/**
 * Keystroke → that query's results rendered, for each character typed into Search and then erased.
 * The list carries the query its rows answer (data-query), so the clock stops only once the
 * background's answer for this very keystroke is on screen.
 */
export async function searchLatencies(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const input = document.querySelector('input[type="search"]') as HTMLInputElement;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const yieldToLoop = () =>
      new Promise<void>((resolve) => {
        const c = new MessageChannel();
        c.port1.onmessage = () => resolve();
        c.port2.postMessage(0);
      });
    const shows = (query: string) => document.querySelector(`[data-query="${CSS.escape(query)}"]`) !== null;
    const samples: number[] = [];
    const words = ['s1p0_service_2', 'token', 'S29P0_SERVICE_33', 'service 7 development', 'nothing-matches'];
    for (const word of words) {
      for (let n = 1; n <= word.length * 2 - 1; n++) {
        const value = n <= word.length ? word.slice(0, n) : word.slice(0, word.length * 2 - n);
        const started = performance.now();
        setValue.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        do {
          await yieldToLoop();
          if (performance.now() - started > 5_000) {
            const status = [...document.querySelectorAll('[role="status"]')].map((e) => e.textContent).join(' | ');
            const shown = document.querySelector('[data-query]')?.getAttribute('data-query');
            throw new Error(`"${value}" never showed its answer; the list answers "${shown}"; status: ${status}`);
          }
        } while (!shows(value.trim()));
        samples.push(performance.now() - started);
      }
      // Prove the clock stopped once this query's answer was on screen: the whole non-matching word
      // must have emptied the list by the time its data-query shows.
      if (word === 'nothing-matches') {
        setValue.call(input, word);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        do await yieldToLoop();
        while (!shows(word));
        if (document.querySelectorAll('[role="option"]').length !== 0) throw new Error('search measurement did not see the list update');
      }
    }
    setValue.call(input, '');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return samples;
  });
}

/** The background's part of a keystroke: one 'vault.search' request and its answer, timed in the popup. */
export async function backgroundSearchLatencies(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const send = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime
      .sendMessage;
    const samples: number[] = [];
    for (const word of ['s1p0_service_2', 'token', 'S29P0_SERVICE_33', 'service 7 development', 'nothing-matches']) {
      for (let n = 1; n <= word.length; n++) {
        const started = performance.now();
        await send({ id: n, type: 'vault.search', data: { query: word.slice(0, n) }, timestamp: Date.now() });
        samples.push(performance.now() - started);
      }
    }
    return samples;
  });
}

/** JS heap in use after a garbage collection, in the service worker and in the popup, over CDP. */
export async function heapAfterGc(context: BrowserContext, page: Page): Promise<{ worker: number; popup: number }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const popup = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
  const worker = targetInfos.find((t) => t.type === 'service_worker')!;
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string };
  let next = 1;
  const ask = (method: string) => {
    const id = next++;
    const answer = new Promise<{ result: Record<string, number> }>((resolve) => {
      cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
        const message = JSON.parse(e.message) as { id?: number; result: Record<string, number> };
        if (message.id === id) resolve(message);
      });
    });
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    return answer;
  };
  await ask('HeapProfiler.collectGarbage');
  const workerUsed = (await ask('Runtime.getHeapUsage')).result.usedSize!;
  await cdp.detach();
  return { worker: workerUsed, popup };
}

/**
 * The same measurement on an extension page that holds nothing but one static row and a one-line
 * script: what a new page costs in this browser and harness before any of Keysmith's code runs.
 * Written into the build only for this run, then removed.
 */
export async function emptyPageFloor(runs: number): Promise<Opening[]> {
  const files = {
    'bench-floor.html':
      '<!doctype html><meta charset="utf-8"><script type="module" src="/bench-floor.js"></script><div role="option">x</div>',
    'bench-floor.js': "performance.mark('keysmith:open-asked'); performance.mark('keysmith:open-answered');",
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(EXTENSION_DIR, name), text);
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-'));
  const context = await launchWithExtension(dir);
  try {
    const url = `chrome-extension://${await extensionIdOf(context)}/bench-floor.html`;
    const opens: Opening[] = [];
    for (let i = 0; i < runs; i++) opens.push(await openToList(context, url));
    return opens;
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    for (const name of Object.keys(files)) rmSync(join(EXTENSION_DIR, name), { force: true });
  }
}
