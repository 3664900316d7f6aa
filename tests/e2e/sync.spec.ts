// Two browser profiles and a real server process (`npm run server`'s code): an account, a second
// device, the server going away while both edit (and both create one name), conflicts resolved on
// one device and seen on the other, and a master-password change the other device then takes.
import type { ChildProcess } from 'node:child_process';
import { startServer } from './server-process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { sendFromPage, VaultPage } from './pages/vault';
import { freePort } from '../free-port';

const MASTER = 'correct horse battery staple';
const NEXT_MASTER = 'a new and longer master password';
const EMAIL = 'dev@example.test';

/** The server as `npm run server` runs it, on a data directory that outlives one process. */
async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Device {
  context: BrowserContext;
  dir: string;
  extensionId: string;
  popup: VaultPage;
}

async function openDevice(): Promise<Device> {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-sync-profile-'));
  const context = await launchWithExtension(dir);
  const extensionId = await extensionIdOf(context);
  const page = await context.newPage();
  const popup = await VaultPage.open(page, extensionId);
  return { context, dir, extensionId, popup };
}

const syncLine = (page: Page) => page.getByRole('status', { name: 'Account & sync' });

test('two devices: account, sign-in, offline edits on both, conflicts resolved on one and seen on the other, a new master password', async () => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-sync-server-'));
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  let server = await startServer(port, dataDir);
  const a = await openDevice();
  const b = await openDevice();
  try {
    // Device A: a vault with three secrets, then Options → Account & sync → Create account.
    await a.popup.setup(MASTER);
    for (const [key, value] of [
      ['STRIPE_KEY', 'sk_a_1'],
      ['DB_URL', 'postgres://one'],
      ['API_TOKEN', 'tok-1'],
    ]) {
      await a.popup.addSecret({ key: key!, value: value! });
    }
    const options = await OptionsPage.open(a.context, a.extensionId);
    await options.expectUnlocked();
    const create = options.form('Create a sync account');
    await create.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await create.getByLabel('E-mail', { exact: true }).fill(EMAIL);
    await create.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await create.getByRole('button', { name: 'Create account' }).click();
    const status = options.page.getByRole('list', { name: 'Sync status' });
    await expect(status).toContainText('Synced at', { timeout: 30_000 });
    await expect(options.page.getByText(`Syncing as ${EMAIL} with ${serverUrl}`)).toBeVisible();

    // Device B: first run → Sign in to a sync server → the three secrets are listed.
    await b.popup.button('Sign in to a sync server').click();
    const signIn = b.popup.root.getByRole('form', { name: 'Sign in to a sync server' });
    await signIn.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await signIn.getByLabel('E-mail', { exact: true }).fill(EMAIL);
    await signIn.getByLabel('Master password', { exact: true }).fill(MASTER);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await b.popup.expectUnlocked();
    await expect.poll(() => b.popup.optionNames()).toEqual(['API_TOKEN', 'DB_URL', 'STRIPE_KEY']);
    expect(
      (await sendFromPage<{ value: string }>(b.popup.page, 'vault.revealSecret', { id: await idOf(b.popup.page, 'DB_URL') })).value,
    ).toBe('postgres://one');

    // Live: an edit on A reaches B's open popup with no request from B's page and no click there.
    const dev0 = { safeName: 'Personal', envName: 'Development' };
    for (const [from, to] of [
      ['STRIPE_KEY', 'STRIPE_KEY_LIVE'],
      ['STRIPE_KEY_LIVE', 'STRIPE_KEY'],
    ] as const) {
      const started = Date.now();
      await sendFromPage(a.popup.page, 'vault.update', { ...dev0, key: from, newKey: to });
      await expect.poll(() => b.popup.optionNames(), { timeout: 3_000, intervals: [20] }).toContain(to);
      expect(await b.popup.optionNames()).not.toContain(from);
      console.log(`edit on A → listed in B's open popup: ${Date.now() - started} ms`);
    }
    await expect(syncLine(a.popup.page)).not.toContainText('waiting to be sent', { timeout: 10_000 });

    // The server stops. Both edit DB_URL; each adds a secret of its own.
    await stopServer(server);
    const dev = { safeName: 'Personal', envName: 'Development' };
    await sendFromPage(b.popup.page, 'vault.update', { ...dev, key: 'DB_URL', value: 'postgres://from-b' });
    await b.popup.addSecret({ key: 'ONLY_B', value: 'b' });
    await b.popup.addSecret({ key: 'SHARED', value: 'shared-b' });
    await sendFromPage(a.popup.page, 'vault.update', { ...dev, key: 'DB_URL', value: 'postgres://from-a' });
    await a.popup.addSecret({ key: 'ONLY_A', value: 'a' });
    await a.popup.addSecret({ key: 'SHARED', value: 'shared-a' });
    await expect(syncLine(a.popup.page)).toContainText('Server unreachable — 3 changes will be sent when it is back', { timeout: 15_000 });
    // …and when the next try is (the background's backoff, counted down on screen).
    await expect(syncLine(a.popup.page)).toContainText(/ · next try in \d+ s/, { timeout: 15_000 });

    // The server returns: B syncs first (Sync now), then A on its own as its live connection comes
    // back, finding DB_URL changed on both; B hears of A's push and pulls, with no request from its page.
    server = await startServer(port, dataDir);
    await syncLine(b.popup.page).getByRole('button', { name: 'Sync now' }).click();
    for (const device of [a, b]) {
      await expect
        .poll(() => device.popup.optionNames(), { timeout: 40_000 })
        .toEqual(['API_TOKEN', 'DB_URL', 'ONLY_A', 'ONLY_B', 'SHARED', 'SHARED', 'STRIPE_KEY']);
    }
    await expect(syncLine(a.popup.page)).toContainText('2 secrets changed here and on another device', { timeout: 15_000 });
    // A's side of the conflict is not sent by itself: the line says it waits for the user.
    await expect(syncLine(a.popup.page)).toContainText(/\d changes? made here waits? for your choice/);
    await expect(syncLine(a.popup.page)).not.toContainText('waiting to be sent');
    await expect(a.popup.option('DB_URL')).toContainText('changed on two devices');
    await expect(a.popup.root.getByRole('option', { name: 'SHARED' }).first()).toContainText('changed on two devices');

    // Resolved on A (keep A's value): B's open popup shows it within a few seconds, no click there.
    await syncLine(a.popup.page).getByRole('button', { name: 'Resolve…' }).click();
    const conflicts = a.popup.page.getByRole('region', { name: 'Changed on two devices' });
    const row = conflicts.getByRole('listitem', { name: 'DB_URL' });
    await row.getByRole('button', { name: 'Reveal' }).click();
    await expect(row).toContainText('postgres://from-a');
    await expect(row).toContainText('postgres://from-b');
    await row.getByRole('button', { name: 'Keep mine' }).click();
    // One name created on both: Keep both gives one of them the _CONFLICT suffix, on both devices.
    const shared = conflicts.getByRole('listitem', { name: 'SHARED' });
    await expect(shared).toContainText('Created on two devices with the same name');
    await shared.getByRole('button', { name: 'Keep both' }).click();
    await expect(syncLine(a.popup.page)).not.toContainText('changed here and on another device', { timeout: 15_000 });
    await expect
      .poll(() => b.popup.optionNames(), { timeout: 15_000 })
      .toEqual(['API_TOKEN', 'DB_URL', 'ONLY_A', 'ONLY_B', 'SHARED', 'SHARED_CONFLICT', 'STRIPE_KEY']);
    await expect
      .poll(
        async () =>
          (await sendFromPage<{ value: string }>(b.popup.page, 'vault.revealSecret', { id: await idOf(b.popup.page, 'DB_URL') })).value,
        {
          timeout: 10_000,
        },
      )
      .toBe('postgres://from-a');

    // A new master password, set on A in Options: the server takes it, B is asked for it, and then
    // only the new one unlocks B.
    const change = options.form('Change master password');
    await change.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await change.getByLabel('New master password', { exact: true }).fill(NEXT_MASTER);
    await change.getByLabel('Confirm new master password', { exact: true }).fill(NEXT_MASTER);
    await change.getByRole('button', { name: 'Change master password' }).click();
    await expect(change.getByRole('status')).toContainText('Master password changed', { timeout: 30_000 });
    const optionsB = await OptionsPage.open(b.context, b.extensionId);
    await optionsB.expectUnlocked();
    await sendFromPage(b.popup.page, 'sync.now', {});
    const adopt = optionsB.form('Use the new master password');
    await adopt.getByLabel('New master password', { exact: true }).fill(NEXT_MASTER);
    await adopt.getByRole('button', { name: 'Use the new master password' }).click();
    await expect(optionsB.page.getByRole('list', { name: 'Sync status' })).toContainText('Synced at', { timeout: 30_000 });
    await expect(adopt).toBeHidden();
    await sendFromPage(b.popup.page, 'vault.lock', {});
    await expect(sendFromPage(b.popup.page, 'vault.unlock', { masterPassword: MASTER })).rejects.toThrow();
    await sendFromPage(b.popup.page, 'vault.unlock', { masterPassword: NEXT_MASTER });
  } finally {
    await a.context.close();
    await b.context.close();
    if (server.exitCode === null) await stopServer(server);
    for (const dir of [a.dir, b.dir, dataDir]) rmSync(dir, { recursive: true, force: true });
  }
});

async function idOf(page: Page, key: string): Promise<string> {
  const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(page, 'vault.search', { query: key });
  return hits.find((h) => h.key === key)!.id;
}
