// A secret's history on a device that never held its earlier versions, in real Chromium: a second
// profile signs in after three edits were made on the first, opens the secret's history and finds
// the versions the server kept, revealed there as the first device wrote them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { expect, test } from './fixtures';
import { sendFromPage } from './pages/vault';
import { startServer } from './server-process';
import { DEV, type Device, MASTER, openDevice, stopServer } from './sync-devices';

test('a new device shows the versions written before it joined, from the copies the server kept', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-history-server-'));
  const port = await freePort();
  const server = await startServer(port, dataDir);
  const devices: Device[] = [];
  try {
    const a = await openDevice();
    devices.push(a);
    await a.popup.setup(MASTER);
    await a.popup.addSecret({ key: 'STRIPE_KEY', value: 'sk_first' });
    for (const value of ['sk_second', 'sk_third']) await sendFromPage(a.popup.page, 'vault.update', { ...DEV, key: 'STRIPE_KEY', value });
    const serverUrl = `http://127.0.0.1:${port}`;
    await sendFromPage(a.popup.page, 'sync.createAccount', { serverUrl, email: 'history@example.test', masterPassword: MASTER });
    // Two more edits after the account exists: the server replaces versions 3 and 4 and keeps them.
    for (const value of ['sk_fourth', 'sk_fifth']) {
      await sendFromPage(a.popup.page, 'vault.update', { ...DEV, key: 'STRIPE_KEY', value });
      await sendFromPage(a.popup.page, 'sync.now', {});
    }

    const b = await openDevice();
    devices.push(b);
    await sendFromPage(b.popup.page, 'sync.signIn', { serverUrl, email: 'history@example.test', masterPassword: MASTER });
    await b.popup.page.reload();
    await b.popup.expectUnlocked();
    await b.popup.option('STRIPE_KEY').click();
    await b.popup.button('Show history').click();
    const history = b.popup.root.getByRole('region', { name: 'History of STRIPE_KEY' });
    await expect(history.getByText(/^Current: version 5 /)).toBeVisible();
    // Versions 1 and 2 travelled with no item (written before the account); 3 and 4 are the server's copies.
    await expect(history.getByRole('listitem')).toHaveCount(2);
    await expect(history.getByRole('listitem').first()).toContainText('Version 4');
    await history.getByRole('button', { name: 'Reveal version 3' }).click();
    await expect(history.getByRole('status', { name: 'Value of version 3' })).toHaveText('sk_third');
  } finally {
    for (const d of devices) {
      await d.context.close();
      rmSync(d.dir, { recursive: true, force: true });
    }
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
