// What a user sees when the server goes away and comes back: when the next try is, *Sync now* in
// the popup and in Settings (and that it works), and the waiting change going by itself as soon as
// the live connection returns, before the backoff's next try.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { freePort } from '../free-port';
import { expect, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { sendFromPage } from './pages/vault';
import { startServer } from './server-process';
import {
  DEV,
  type Device,
  linkTwo,
  MASTER,
  openDevice,
  relayWithoutLive,
  reveal,
  stopServer,
  syncLine,
  syncStatusOf,
} from './sync-devices';

const settingsStatus = (page: Page) => page.getByRole('list', { name: 'Sync status' });

/**
 * What a proxy in front of a server under maintenance answers: 503 with Retry-After: 120 to every
 * request (with the server's CORS, so the extension reads it), and no WebSocket.
 */
function maintenancePage(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-headers': 'Authorization, Content-Type, X-Active-Org-Id',
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-expose-headers': 'Retry-After',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    res.writeHead(503, { ...cors, 'content-type': 'application/json', 'retry-after': '120' });
    res.end(JSON.stringify({ error: { code: 'maintenance', message: 'Back soon' } }));
  });
  server.on('upgrade', (_req, socket) => socket.destroy());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** Edits API_TOKEN on `device` and waits until the server has it (nothing waiting, a newer sync). */
async function editAndPush(device: Device, value: string): Promise<void> {
  const before = (await syncStatusOf(device.popup.page)).lastSyncedAt ?? 0;
  await sendFromPage(device.popup.page, 'vault.update', { ...DEV, key: 'API_TOKEN', value });
  await expect
    .poll(async () => {
      const status = await syncStatusOf(device.popup.page);
      return status.waiting === 0 && (status.lastSyncedAt ?? 0) > before;
    })
    .toBe(true);
}

test('Sync now, in the popup and in Settings, brings what another device sent when nothing else would', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-return-server-'));
  const port = await freePort();
  const server = await startServer(port, dataDir);
  // Both devices reach the server through a relay that refuses the live connection, so nothing
  // but the button brings B another device's change.
  const relay = await relayWithoutLive(`http://127.0.0.1:${port}`);
  const devices: Device[] = [];
  try {
    const [a, b] = await Promise.all([openDevice(), openDevice()]);
    devices.push(a!, b!);
    await a!.popup.setup(MASTER);
    await a!.popup.addSecret({ key: 'API_TOKEN', value: 'tok-1' });
    await linkTwo(a!, b!, relay.url, 'return@example.test');
    const settings = await OptionsPage.open(b!.context, b!.extensionId);
    await expect(settingsStatus(settings.page)).toContainText('Synced at');
    expect(await reveal(b!.popup.page, 'API_TOKEN')).toBe('tok-1');

    await editAndPush(a!, 'tok-2');
    expect(await reveal(b!.popup.page, 'API_TOKEN')).toBe('tok-1');
    await settings.page.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(() => reveal(b!.popup.page, 'API_TOKEN'), { timeout: 10_000 }).toBe('tok-2');

    await editAndPush(a!, 'tok-3');
    expect(await reveal(b!.popup.page, 'API_TOKEN')).toBe('tok-2');
    await syncLine(b!.popup.page).getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => reveal(b!.popup.page, 'API_TOKEN'), { timeout: 10_000 }).toBe('tok-3');
  } finally {
    for (const device of devices) await device.context.close();
    relay.close();
    await stopServer(server);
    for (const dir of [...devices.map((d) => d.dir), dataDir]) rmSync(dir, { recursive: true, force: true });
  }
});

test('the server comes back: the status said when the next try is, and the change goes with the live connection, before that try', async () => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-return-server-'));
  const port = await freePort();
  let server = await startServer(port, dataDir);
  const devices: Device[] = [];
  try {
    const [a, b] = await Promise.all([openDevice(), openDevice()]);
    devices.push(a!, b!);
    await a!.popup.setup(MASTER);
    await a!.popup.addSecret({ key: 'API_TOKEN', value: 'tok-1' });
    await linkTwo(a!, b!, `http://127.0.0.1:${port}`, 'return@example.test');
    const settings = await OptionsPage.open(a!.context, a!.extensionId);
    await expect(settingsStatus(settings.page)).toContainText('Synced at');

    // The server stops; A edits. The popup and Settings say the change waits, and when the next try is.
    await stopServer(server);
    await sendFromPage(a!.popup.page, 'vault.update', { ...DEV, key: 'API_TOKEN', value: 'tok-2' });
    await expect(syncLine(a!.popup.page)).toContainText('Server unreachable — 1 change will be sent when it is back');
    await expect(syncLine(a!.popup.page)).toContainText(/ · next try in \d+ s/);
    await expect(
      settingsStatus(settings.page)
        .getByRole('listitem')
        .filter({ hasText: /^next try in \d+ s$/ }),
    ).toBeVisible();
    await expect(settings.page.getByRole('button', { name: 'Sync now', exact: true })).toBeEnabled();

    // A maintenance page takes the server's place and asks for two minutes (503, Retry-After), far
    // later than the live connection's own retries (at most 30 s apart).
    const maintenance = await maintenancePage(port);
    const syncNow = syncLine(a!.popup.page).getByRole('button', { name: 'Sync now' });
    await syncNow.click();
    await expect.poll(async () => ((await syncStatusOf(a!.popup.page)).retryAt ?? 0) - Date.now()).toBeGreaterThan(70_000);
    const retryAt = (await syncStatusOf(a!.popup.page)).retryAt!;
    await expect(syncLine(a!.popup.page)).toContainText(/ · next try in (\d+ s|\d+ min)/);
    await new Promise<void>((resolve) => maintenance.close(() => resolve()));

    // The server returns. Nobody clicks: A's change reaches B's open popup before A's next try.
    server = await startServer(port, dataDir);
    await expect.poll(() => reveal(b!.popup.page, 'API_TOKEN'), { timeout: retryAt - Date.now() - 5_000 }).toBe('tok-2');
    await expect(syncLine(a!.popup.page)).toContainText('Synced at');
    await expect(syncLine(a!.popup.page)).not.toContainText('next try');
  } finally {
    for (const device of devices) await device.context.close();
    await stopServer(server);
    for (const dir of [...devices.map((d) => d.dir), dataDir]) rmSync(dir, { recursive: true, force: true });
  }
});
