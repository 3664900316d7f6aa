// A hostile server in real Chromium: a second profile talks to the real server through a recording
// proxy that replays only ciphertexts it has seen. It rolls a secret back (an invented deletion,
// then the old copy) and answers an edit with the old copy as a conflict; the popup says what
// happened and keeps the secret as it was. An empty full resync is a question in the popup.
import { startServer } from './server-process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';
import { freePort } from '../free-port';

const MASTER = 'correct horse battery staple';
const EMAIL = 'hostile@example.test';
const dev = { safeName: 'Personal', envName: 'Development' };

type Item = { id: string; revision: number; deleted: boolean; ciphertext: Record<string, string> } & Record<string, unknown>;

/** Forwards everything to the real server, records every item it passes on, and rewrites answers as told. */
function recordingProxy(serverUrl: string) {
  const seen = new Map<string, Item[]>();
  const rewrite: {
    pull?: (items: Item[]) => Item[];
    /** Every pull answer says the cursor is too old: what it carries is the whole snapshot. */
    fullResync?: boolean;
    push?: (results: Record<string, unknown>[]) => Record<string, unknown>[];
  } = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      // Hop-by-hop headers stay here: the proxy relays plain HTTP only, so the live WebSocket is refused
      // through it and devices sync when the test asks them to.
      const hopByHop = [
        'host',
        'content-length',
        'connection',
        'upgrade',
        'keep-alive',
        'sec-websocket-key',
        'sec-websocket-version',
        'sec-websocket-extensions',
      ];
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !hopByHop.includes(k))) as Record<string, string>;
      const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
      const answer = await fetch(serverUrl + req.url, { method: req.method!, headers, ...(body ? { body } : {}) });
      let text = Buffer.from(await answer.arrayBuffer()).toString();
      const path = new URL(req.url!, serverUrl).pathname;
      if (answer.ok && req.method === 'GET' && path === '/api/v1/sync') {
        const page = JSON.parse(text) as { items: Item[]; hasMore: boolean; fullResync: boolean };
        for (const item of page.items) seen.set(item.id, [...(seen.get(item.id) ?? []), structuredClone(item)]);
        if (rewrite.pull) page.items = rewrite.pull(page.items);
        if (rewrite.fullResync) Object.assign(page, { fullResync: true, hasMore: false });
        text = JSON.stringify(page);
      } else if (answer.ok && req.method === 'POST' && path === '/api/v1/items/batch' && rewrite.push) {
        const page = JSON.parse(text) as { results: Record<string, unknown>[] };
        page.results = rewrite.push(page.results);
        text = JSON.stringify(page);
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key)) out[key] = value;
      });
      res.writeHead(answer.status, out).end(text);
    });
  });
  return { server, seen, rewrite };
}

async function openDevice(): Promise<{ context: BrowserContext; dir: string; popup: VaultPage }> {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-hostile-profile-'));
  const context = await launchWithExtension(dir);
  const popup = await VaultPage.open(await context.newPage(), await extensionIdOf(context));
  return { context, dir, popup };
}

const syncLine = (page: Page) => page.getByRole('status', { name: 'Account & sync' });

async function idOf(page: Page, key: string): Promise<string> {
  const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(page, 'vault.search', { query: key });
  return hits.find((h) => h.key === key)!.id;
}

const reveal = async (page: Page, key: string) =>
  (await sendFromPage<{ value: string }>(page, 'vault.revealSecret', { id: await idOf(page, key) })).value;

test('a recording proxy rolls a secret back, forges a conflict and wipes: refused or asked, and the popup says so', async () => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-hostile-server-'));
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const server = await startServer(port, dataDir);
  const proxy = recordingProxy(serverUrl);
  const proxyPort = await freePort();
  await new Promise<void>((resolve) => proxy.server.listen(proxyPort, '127.0.0.1', resolve));
  const a = await openDevice();
  const b = await openDevice();
  try {
    // A: a vault with X and an account; B: signed in. Both reach the server through the proxy, since the
    // auth secret is bound to the server's origin (a device of another origin would not sign in); the
    // proxy changes nothing until a rewrite is set, and every rewrite is made while only B syncs.
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    await a.popup.setup(MASTER);
    await a.popup.addSecret({ key: 'X', value: 'x-1' });
    await sendFromPage(a.popup.page, 'sync.createAccount', { serverUrl: proxyUrl, email: EMAIL, masterPassword: MASTER });
    await sendFromPage(b.popup.page, 'sync.signIn', { serverUrl: proxyUrl, email: EMAIL, masterPassword: MASTER });
    await b.popup.page.reload();
    await b.popup.expectUnlocked();
    await sendFromPage(a.popup.page, 'vault.update', { ...dev, key: 'X', value: 'x-2' });
    await sendFromPage(a.popup.page, 'sync.now', {});
    await sendFromPage(b.popup.page, 'sync.now', {});
    expect(await reveal(b.popup.page, 'X')).toBe('x-2');
    const x = await idOf(b.popup.page, 'X');
    const first = proxy.seen.get(x)!.find((i) => i.ciphertext.ver === '1')!;

    // Rollback: a deletion the proxy invents, then the old copy at a newer revision.
    proxy.rewrite.pull = (items) => [...items, { ...first, deleted: true, ciphertext: { ver: '9' }, revision: 10_000 }];
    await sendFromPage(b.popup.page, 'sync.now', {});
    proxy.rewrite.pull = (items) => [...items, { ...first, revision: 10_001 }];
    await sendFromPage(b.popup.page, 'sync.now', {});
    await expect(syncLine(b.popup.page)).toContainText('1 item from the server did not open and was ignored', { timeout: 15_000 });
    expect(await reveal(b.popup.page, 'X')).toBe('x-2');

    // Forged conflict: B's edit is answered with the old copy as "theirs".
    proxy.rewrite.pull = undefined;
    proxy.rewrite.push = (results) => results.map((r) => (r.id === x ? { id: x, ok: false, conflict: { ...first, revision: 10_002 } } : r));
    await sendFromPage(b.popup.page, 'vault.update', { ...dev, key: 'X', value: 'x-b' });
    await sendFromPage(b.popup.page, 'sync.now', {});
    await expect(syncLine(b.popup.page)).toContainText('The server answered your change with an old copy, which Keysmith refused', {
      timeout: 15_000,
    });
    await expect(syncLine(b.popup.page)).not.toContainText('changed here and on another device');
    expect(await reveal(b.popup.page, 'X')).toBe('x-b');

    // Wipe: a full resync with an empty snapshot. The popup asks; nothing goes until the answer.
    proxy.rewrite.push = undefined;
    await sendFromPage(b.popup.page, 'sync.now', {}); // the edit goes now that the answers are true
    proxy.rewrite.pull = () => [];
    proxy.rewrite.fullResync = true;
    await sendFromPage(b.popup.page, 'sync.now', {});
    const question = b.popup.page.getByRole('alert', { name: 'Keep them on this device?' });
    await expect(question).toContainText('The server says 1 secret was deleted.', { timeout: 15_000 });
    expect(await b.popup.optionNames()).toEqual(['X']);
    proxy.rewrite.pull = undefined;
    proxy.rewrite.fullResync = false;
    await question.getByRole('button', { name: 'Keep them' }).click();
    await expect(question).toBeHidden({ timeout: 15_000 });
    expect(await b.popup.optionNames()).toEqual(['X']);
  } finally {
    await a.context.close();
    await b.context.close();
    proxy.server.close();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    for (const dir of [a.dir, b.dir, dataDir]) rmSync(dir, { recursive: true, force: true });
  }
});
