// A new device's sign-in as the sync benches time it: from an extension page, `sync.signIn` then a
// search that must answer over every secret, each a message to the worker as the popup sends it.
import type { Page } from 'playwright-core';

/** Start and end of the sign-in and first search, in epoch milliseconds (the page's clock). */
export async function signInAndSearch(
  page: Page,
  serverUrl: string,
  email: string,
  masterPassword: string,
  secrets: number,
): Promise<{ t0: number; t1: number }> {
  // tsx (esbuild, keepNames) wraps the function below in __name(); define it in the page.
  await page.evaluate('globalThis.__name = (fn) => fn');
  return page.evaluate(
    async ([url, email, master, expected]) => {
      const chrome = (
        globalThis as unknown as {
          chrome: {
            runtime: { sendMessage(m: unknown): Promise<{ res: { ok: boolean; value?: { total?: number }; error?: unknown } }> };
          };
        }
      ).chrome;
      const ask = async (type: string, data: unknown) => {
        const reply = await chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() });
        if (!reply.res.ok) throw new Error(JSON.stringify(reply.res.error));
        return reply.res.value;
      };
      const t0 = performance.timeOrigin + performance.now();
      await ask('sync.signIn', { serverUrl: url, email, masterPassword: master });
      const found = await ask('vault.search', { query: 'api key' });
      if (found?.total !== expected) throw new Error(`search found ${found?.total}`);
      return { t0, t1: performance.timeOrigin + performance.now() };
    },
    [serverUrl, email, masterPassword, secrets] as const,
  );
}
