// A server on this machine's IPv6 loopback only (HOST=::1), as a user starts it: it prints
// http://[::1]:PORT, and that address, typed into Settings and into a second device's sign-in form,
// syncs. Chromium refuses an IPv6 literal as a CSP source, so Keysmith reaches that server as
// localhost (lib/sync/server-address.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { expect, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { sendFromPage } from './pages/vault';
import { startServer } from './server-process';
import { DEV, type Device, MASTER, openDevice, reveal, stopServer, syncLine } from './sync-devices';

test('a server listening on [::1] only: its printed address is entered in both forms, and the devices sync', async () => {
  test.setTimeout(120_000); // two profiles, two key derivations, on a shared 2-core machine
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-ipv6-server-'));
  const port = await freePort('::1');
  const server = await startServer(port, dataDir, '::1');
  const devices: Device[] = [];
  try {
    const serverUrl = `http://[::1]:${port}`;
    expect(server.said).toContain(`listening on ${serverUrl}`);
    const [a, b] = await Promise.all([openDevice(), openDevice()]);
    devices.push(a!, b!);
    await a!.popup.setup(MASTER);
    await a!.popup.addSecret({ key: 'API_TOKEN', value: 'tok-1' });

    const options = await OptionsPage.open(a!.context, a!.extensionId);
    await options.expectUnlocked();
    const create = options.form('Create a sync account');
    await create.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await create.getByLabel('E-mail', { exact: true }).fill('ipv6@example.test');
    await create.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await create.getByRole('button', { name: 'Create account' }).click();
    await expect(options.page.getByRole('list', { name: 'Sync status' })).toContainText('Synced at', { timeout: 30_000 });

    await b!.popup.button('Sign in to a sync server').click();
    const signIn = b!.popup.root.getByRole('form', { name: 'Sign in to a sync server' });
    await signIn.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await signIn.getByLabel('E-mail', { exact: true }).fill('ipv6@example.test');
    await signIn.getByLabel('Master password', { exact: true }).fill(MASTER);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await b!.popup.expectUnlocked();
    await expect.poll(() => reveal(b!.popup.page, 'API_TOKEN')).toBe('tok-1');

    // Live as on 127.0.0.1: an edit on A reaches B's open popup with no click there.
    await sendFromPage(a!.popup.page, 'vault.update', { ...DEV, key: 'API_TOKEN', value: 'tok-2' });
    await expect.poll(() => reveal(b!.popup.page, 'API_TOKEN')).toBe('tok-2');
    await expect(syncLine(b!.popup.page)).toContainText('Synced at');
  } finally {
    for (const device of devices) await device.context.close();
    await stopServer(server);
    for (const dir of [...devices.map((d) => d.dir), dataDir]) rmSync(dir, { recursive: true, force: true });
  }
});
