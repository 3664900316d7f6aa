// The extension in real Chromium, two profiles, syncing through the nginx site of docs/deploy/
// (TLS with a certificate made for the test, trusted by its key alone) to two server processes on
// one PostgreSQL: nginx takes turns between the processes, so each profile's requests reach both,
// and what one process wrote the other serves.
import type { BrowserContext } from '@playwright/test';
import { expect, extensionIdOf, launchWithExtension, test } from '../e2e/fixtures';
import { OptionsPage } from '../e2e/pages/options';
import { VaultPage, sendFromPage } from '../e2e/pages/vault';
import { removeDir, type Stack, startStack, tempDir } from './stack';

const MASTER = 'correct horse battery staple';
const EMAIL = 'ops@example.test';

interface Device {
  context: BrowserContext;
  dir: string;
  extensionId: string;
  popup: VaultPage;
}

async function openDevice(spki: string): Promise<Device> {
  const dir = tempDir('keysmith-deploy-profile-');
  // Trusts this one certificate's key, not every certificate (PLATFORM: --ignore-certificate-errors-spki-list).
  const context = await launchWithExtension(dir, 'en-US', [`--ignore-certificate-errors-spki-list=${spki}`]);
  const extensionId = await extensionIdOf(context);
  const popup = await VaultPage.open(await context.newPage(), extensionId);
  return { context, dir, extensionId, popup };
}

const syncRequests = (stack: Stack, index: 0 | 1) =>
  stack.servers[index].lines().filter((l) => l.msg === 'request' && String(l.route).startsWith('/api/v1/') && l.status === 200);

test('two profiles sync through nginx, each reaching both server processes on one PostgreSQL', async () => {
  const stack = await startStack({ TRUST_PROXY: '1' });
  const devices: Device[] = [];
  try {
    const serverUrl = stack.nginx.url;
    const a = await openDevice(stack.cert.spki);
    devices.push(a);
    const b = await openDevice(stack.cert.spki);
    devices.push(b);

    await a.popup.setup(MASTER);
    await a.popup.addSecret({ key: 'STRIPE_KEY', value: 'sk_from_a' });
    const options = await OptionsPage.open(a.context, a.extensionId);
    await options.expectUnlocked();
    const create = options.form('Create a sync account');
    await create.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await create.getByLabel('E-mail', { exact: true }).fill(EMAIL);
    await create.getByLabel('Current master password', { exact: true }).fill(MASTER);
    await create.getByRole('button', { name: 'Create account' }).click();
    await expect(options.page.getByRole('list', { name: 'Sync status' })).toContainText('Synced at', { timeout: 30_000 });
    await expect(options.page.getByText(`Syncing as ${EMAIL} with ${serverUrl}`)).toBeVisible();

    await b.popup.button('Sign in to a sync server').click();
    const signIn = b.popup.root.getByRole('form', { name: 'Sign in to a sync server' });
    await signIn.getByLabel('Server address', { exact: true }).fill(serverUrl);
    await signIn.getByLabel('E-mail', { exact: true }).fill(EMAIL);
    await signIn.getByLabel('Master password', { exact: true }).fill(MASTER);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await b.popup.expectUnlocked();
    await expect.poll(() => b.popup.optionNames(), { timeout: 30_000 }).toEqual(['STRIPE_KEY']);

    // Each way, several times: with nginx taking turns, writes and reads land on both processes.
    for (let round = 1; round <= 3; round++) {
      await b.popup.addSecret({ key: `FROM_B_${round}`, value: `b${round}` });
      await a.popup.addSecret({ key: `FROM_A_${round}`, value: `a${round}` });
      await sendFromPage(b.popup.page, 'sync.now', {});
      await sendFromPage(a.popup.page, 'sync.now', {});
      await sendFromPage(b.popup.page, 'sync.now', {});
      const expected = ['STRIPE_KEY', ...Array.from({ length: round }, (_, i) => [`FROM_A_${i + 1}`, `FROM_B_${i + 1}`]).flat()].sort();
      for (const device of [a, b]) {
        await expect.poll(async () => (await device.popup.optionNames()).sort(), { timeout: 20_000 }).toEqual(expected);
      }
    }
    // Both processes served the extension's sign-ins, pushes and pulls.
    for (const index of [0, 1] as const) {
      const routes = new Set(syncRequests(stack, index).map((l) => l.route));
      expect([...routes], `process ${index + 1}`).toEqual(expect.arrayContaining(['/api/v1/sync', '/api/v1/items/batch']));
    }
  } finally {
    for (const device of devices) {
      await device.context.close();
      removeDir(device.dir);
    }
    await stack.stop();
  }
});
