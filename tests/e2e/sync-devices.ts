// Two (or more) browser profiles and the real server process, as the sync end-to-end tests use them.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { SyncStatus } from '../../lib/sync/engine';
import { extensionIdOf, launchWithExtension } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';

export const MASTER = 'correct horse battery staple';
export const DEV = { safeName: 'Personal', envName: 'Development' };

export interface Device {
  context: BrowserContext;
  dir: string;
  extensionId: string;
  popup: VaultPage;
}

/** A fresh profile with the popup open as a tab. */
export async function openDevice(): Promise<Device> {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-sync-profile-'));
  const context = await launchWithExtension(dir);
  const extensionId = await extensionIdOf(context);
  const popup = await VaultPage.open(await context.newPage(), extensionId);
  return { context, dir, extensionId, popup };
}

/** Stops the server as an operator would (SIGTERM) and waits until the port is free. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The popup's (or Settings') one line on sync. */
export const syncLine = (page: Page) => page.getByRole('status', { name: 'Account & sync' });

export async function idOf(page: Page, key: string): Promise<string> {
  const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(page, 'vault.search', { query: key });
  const hit = hits.find((h) => h.key === key);
  if (!hit) throw new Error(`no secret ${key}`);
  return hit.id;
}

export const reveal = async (page: Page, key: string) =>
  (await sendFromPage<{ value: string }>(page, 'vault.revealSecret', { id: await idOf(page, key) })).value;

/** A vault with an account on `serverUrl` (A), and a second device signed in to it (B), both unlocked. */
export async function linkTwo(a: Device, b: Device, serverUrl: string, email: string): Promise<void> {
  await sendFromPage(a.popup.page, 'sync.createAccount', { serverUrl, email, masterPassword: MASTER });
  await sendFromPage(b.popup.page, 'sync.signIn', { serverUrl, email, masterPassword: MASTER });
  await b.popup.page.reload();
  await b.popup.expectUnlocked();
}

/**
 * Plain HTTP relayed to `serverUrl`, WebSocket upgrades refused: devices behind it have no live
 * connection, so they sync only when something here asks (a local change, an unlock, *Sync now*).
 */
export async function relayWithoutLive(serverUrl: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const upstream = httpRequest(new URL(req.url!, serverUrl), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  // No 'upgrade' listener: Node closes the socket of every WebSocket handshake.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The background's own account of sync, as a page asks for it. */
export const syncStatusOf = (page: Page) => sendFromPage<SyncStatus>(page, 'sync.status', {});
