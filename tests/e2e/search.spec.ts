// Search typed the moment the vault unlocks, in a vault of realistic size (10,000 secrets over
// four safes), as a user would: the answer comes from every safe, and "used by" is whole.
import { expect, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';

const MASTER = 'search right after unlock 42';
const SAFES = ['Personal', 'Payments API', 'Mobile', 'Data'];
const PER_ENV = 800;

test('a search typed right after unlock finds secrets in every safe, and keystrokes after it narrow', async ({ context, extensionId }) => {
  test.setTimeout(240_000);
  const page = await context.newPage();
  const vault = await VaultPage.open(page, extensionId);
  // Seeded through the background's message contract, as the options page's .env import does.
  await sendFromPage(page, 'vault.setup', { masterPassword: MASTER, kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000 } });
  for (const name of SAFES.slice(1)) await sendFromPage(page, 'vault.createSafe', { name });
  const safes = await sendFromPage<{ id: string; name: string; environments: { id: string; name: string }[] }[]>(page, 'vault.listSafes');
  let count = 0;
  for (const safe of safes) {
    for (const env of safe.environments) {
      const prefix = `${safe.name.split(' ')[0]!.toUpperCase()}_${env.name.toUpperCase()}`;
      const lines = Array.from({ length: PER_ENV }, (_, i) => `${prefix}_SERVICE_${i}_TOKEN=t${i}`);
      // One rare name per environment, and a reference to it from the first safe's Development.
      lines.push(`${prefix}_WEBHOOK_SIGNING=whsec_${count}`);
      await sendFromPage(page, 'vault.importDotenv', { safeId: safe.id, envId: env.id, text: lines.join('\n') });
      count += lines.length;
    }
  }
  expect(count).toBeGreaterThanOrEqual(9_600);
  const personal = safes.find((s) => s.name === 'Personal')!;
  await sendFromPage(page, 'vault.create', {
    safeId: personal.id,
    envName: 'Development',
    keyValuePairs: { HOOK_URL: 'https://hooks.example/${Data::Production.DATA_PRODUCTION_WEBHOOK_SIGNING}' },
  });

  await page.reload();
  await vault.expectUnlocked();
  await vault.button('Lock').click();
  await vault.field('Master password').fill(MASTER);
  await vault.button('Unlock').click();
  // Typed as soon as Search appears: it answers from every safe and environment.
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.pressSequentially('webhook_sig');
  // The current environment's match first, then the others (the list draws what fits on screen).
  await expect
    .poll(() => vault.optionNames(), { timeout: 10_000 })
    .toEqual(expect.arrayContaining(['PERSONAL_DEVELOPMENT_WEBHOOK_SIGNING', 'PAYMENTS_PRODUCTION_WEBHOOK_SIGNING']));
  expect((await vault.optionNames())[0]).toBe('PERSONAL_DEVELOPMENT_WEBHOOK_SIGNING');
  await search.pressSequentially(' data');
  await expect(vault.root.getByRole('presentation').filter({ hasText: 'Data › Production' })).toContainText('Protected');
  await expect
    .poll(() => vault.optionNames())
    .toEqual(['DATA_DEVELOPMENT_WEBHOOK_SIGNING', 'DATA_STAGING_WEBHOOK_SIGNING', 'DATA_PRODUCTION_WEBHOOK_SIGNING']);

  // Opened from the search, it lists the secret in another safe that uses it.
  await search.fill('data_production_webhook');
  await expect.poll(() => vault.optionNames()).toEqual(['DATA_PRODUCTION_WEBHOOK_SIGNING']);
  await search.press('ArrowRight');
  await expect(vault.root.getByRole('region', { name: 'Used by' })).toContainText('HOOK_URL');
  await expect(vault.root.getByRole('region', { name: 'Used by' })).toContainText('Personal · Development · /');
});
