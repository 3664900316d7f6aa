// Options → Account & sync → Delete account on the server, in real Chromium against a real server
// process: a tick naming what goes and the master password are required; the local vault stays.
import { startServer } from './server-process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { VaultPage } from './pages/vault';
import { freePort } from '../free-port';

const MASTER = 'correct horse battery staple';
const EMAIL = 'leaving@example.test';

test('deletes the account on the server after a tick and the master password; this device keeps its secrets', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-delete-server-'));
  const profile = mkdtempSync(join(tmpdir(), 'keysmith-delete-profile-'));
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const server = await startServer(port, dataDir);
  const context = await launchWithExtension(profile);
  try {
    const extensionId = await extensionIdOf(context);
    const popup = await VaultPage.open(await context.newPage(), extensionId);
    await popup.setup(MASTER);
    await popup.addSecret({ key: 'KEEP_ME', value: 'local-value' });
    const options = await OptionsPage.open(context, extensionId);
    await options.expectUnlocked();
    const create = options.form('Create a sync account');
    await create.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await create.getByLabel('E-mail', { exact: true }).fill(EMAIL);
    await create.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await create.getByRole('button', { name: 'Create account' }).click();
    await expect(options.page.getByRole('list', { name: 'Sync status' })).toContainText('Synced at', { timeout: 30_000 });

    await options.page.getByRole('button', { name: 'Delete account on the server' }).click();
    const form = options.form('Delete account on the server');
    await expect(form).toContainText(
      `This removes from ${serverUrl} the account ${EMAIL}: its sign-in, and every safe and secret stored there`,
    );
    const submit = form.getByRole('button', { name: 'Delete account on the server' });
    await form.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await submit.click();
    await expect(form.getByRole('alert')).toHaveText('Tick the box to confirm the deletion.');
    await form.getByLabel(`Delete ${EMAIL} and everything it stores on the server`).check();
    await form.getByLabel('Current master password', { exact: true }).fill('not the master password');
    await submit.click();
    await expect(form).toContainText('Wrong e-mail or master password', { timeout: 15_000 });
    await form.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await submit.click();

    await expect(options.page.getByText('The account was deleted on the server. This device keeps its vault.')).toBeVisible({
      timeout: 15_000,
    });
    await expect(options.form('Create a sync account')).toBeVisible();
    await expect.poll(() => popup.optionNames()).toEqual(['KEEP_ME']);
    // The e-mail is free on the server again: the account is gone.
    const again = await fetch(`${serverUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: 'another long password' }),
    });
    expect(again.status).toBe(201);
  } finally {
    await context.close();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
});
