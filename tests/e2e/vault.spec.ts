import { dumpExtensionStorage } from './dump';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';
import { VaultPage } from './pages/vault';

const MASTER = 'correct horse battery staple 42';
const SECRET = {
  key: 'STRIPE_SECRET_KEY',
  value: 'sk_live_9f8e7d6c5b4a39281716',
  path: '/api/billing',
  tags: 'payments, critical',
  comment: 'rotated quarterly',
};

test('a new user sets up, adds a secret, locks, survives a wrong password and a browser restart', async ({
  context,
  extensionId,
  userDataDir,
}) => {
  test.setTimeout(120_000);
  let vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret(SECRET);
  await expect(vault.option(SECRET.key)).toBeVisible();

  // Lock, then a wrong password: refused in plain words, and nothing is unlocked.
  await vault.button('Lock').click();
  await vault.unlock('not the password at all');
  await expect(vault.field('Master password')).toHaveAccessibleDescription(/Wrong master password/);
  await expect(vault.page.getByRole('searchbox', { name: 'Search' })).toHaveCount(0);

  await vault.unlock(MASTER);
  await vault.expectUnlocked();
  await expect(vault.option(SECRET.key)).toBeVisible();

  // Zero knowledge at rest: no value, key name, path, tag, comment or master password anywhere.
  const dump = await dumpExtensionStorage(context);
  // No key in IndexedDB, not even a non-extractable CryptoKey (browsers write its bytes to disk);
  // the session secret is in storage.session, which lives in memory only.
  expect(dump).not.toContain('[CryptoKey');
  expect(dump).toMatch(/"storage\.session":\{[^}]*"keysmith-session-secret":"[A-Za-z0-9+/]{43}="/);
  for (const plaintext of [SECRET.value, SECRET.key, SECRET.path, 'payments', 'critical', SECRET.comment, MASTER, 'Personal']) {
    expect(dump, `found "${plaintext}" in storage`).not.toContain(plaintext);
  }

  // Restart the browser on the same profile: the vault comes back locked.
  await context.close();
  const restarted = await launchWithExtension(userDataDir);
  try {
    const id = await extensionIdOf(restarted);
    vault = await VaultPage.open(await restarted.newPage(), id);
    await expect(vault.button('Unlock')).toBeVisible();
    await expect(vault.page.getByRole('searchbox', { name: 'Search' })).toHaveCount(0);
    await vault.unlock(MASTER);
    await vault.expectUnlocked();
    await vault.option(SECRET.key).click();
    await vault.button('Reveal').click();
    await expect(vault.field('Value')).toHaveText(SECRET.value);
  } finally {
    await restarted.close();
  }
});

test('search filters as you type, arrows move, Enter copies; detail reveals, edits, overrides and deletes', async ({
  context,
  extensionId,
}) => {
  test.setTimeout(90_000);
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret({ key: 'DB_PASSWORD', value: 'hunter2-db', path: '/' });
  await vault.addSecret({ key: 'DB_HOST', value: 'db.internal', path: '/' });
  await vault.addSecret({ key: 'SENTRY_DSN', value: 'https://sentry.example/1', path: '/api', tags: 'ops' });

  const search = vault.page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toBeFocused();
  await expect.poll(() => vault.optionNames()).toEqual(['DB_HOST', 'DB_PASSWORD', 'SENTRY_DSN']);
  await search.fill('ops');
  await expect.poll(() => vault.optionNames()).toEqual(['SENTRY_DSN']);
  await search.fill('db');
  await expect.poll(() => vault.optionNames()).toEqual(['DB_HOST', 'DB_PASSWORD']);

  // Keyboard: the first match is active; ArrowDown moves to DB_PASSWORD; Enter copies its value.
  await expect(vault.option('DB_HOST')).toHaveAttribute('aria-selected', 'true');
  await search.press('ArrowDown');
  await expect(vault.option('DB_PASSWORD')).toHaveAttribute('aria-selected', 'true');
  await search.press('Enter');
  await expect(vault.root.getByRole('status').filter({ hasText: 'DB_PASSWORD: Copied. The clipboard clears in 30 s.' })).toBeVisible();
  await search.fill('');
  await search.press('ControlOrMeta+V');
  await expect(search).toHaveValue('hunter2-db');
  await search.fill('');

  // Detail: hidden until revealed; edit moves it to another path.
  await vault.option('DB_PASSWORD').click();
  await expect(vault.field('Value')).not.toHaveText('hunter2-db');
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('hunter2-db');

  // Personal override: read returns the override while active, the shared value when switched off.
  await vault.root.getByText('Personal override').click();
  await vault.field('Override value').fill('my-local-db-password');
  await vault.button('Set override').click();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('my-local-db-password');
  await vault.root.getByRole('checkbox', { name: 'Use my override' }).uncheck();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('hunter2-db');

  await vault.button('Edit').click();
  await vault.field('Path').fill('/db');
  await vault.field('Tags').fill('database');
  await vault.button('Save').click();
  await expect(vault.root.getByText('Path /db')).toBeVisible();
  await vault.button('Back to the list').click();
  await search.fill('database');
  await expect.poll(() => vault.optionNames()).toEqual(['DB_PASSWORD']);
  await search.fill('');

  // Delete asks first; Cancel keeps it, Delete secret removes it.
  await vault.option('DB_HOST').click();
  await vault.button('Delete').click();
  await vault.button('Cancel').click();
  await vault.button('Delete').click();
  await vault.button('Delete secret').click();
  await expect.poll(() => vault.optionNames()).toEqual(['SENTRY_DSN', 'DB_PASSWORD']); // /api sorts before /db
});

test('bad input is explained and saves nothing; Production is visibly protected', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.field('Master password').fill('short');
  await vault.field('Confirm master password').fill('short');
  await vault.button('Create vault').click();
  await expect(vault.field('Master password')).toHaveAccessibleDescription(/at least 12 characters/);
  await vault.setup(MASTER);

  await vault.addSecret({ key: 'API_TOKEN', value: 'one' });
  await vault.button('New secret').click();
  await vault.field('Key').fill('API_TOKEN');
  await vault.field('Value').fill('two');
  await vault.button('Save').click();
  await expect(vault.field('Key')).toHaveAccessibleDescription(/A secret named API_TOKEN already exists/);
  // The vault names the bad key as keyValuePairs[0].key: its message belongs under Key, not atop the form.
  await vault.field('Key').fill(' BAD KEY');
  await vault.button('Save').click();
  await expect(vault.field('Key')).toHaveAccessibleDescription(/Key must not start or end with a space/);
  await expect(vault.root.locator('form > [role="alert"]')).toHaveCount(0); // no message for the form as a whole
  await vault.button('Cancel').click();
  await expect.poll(() => vault.optionNames()).toEqual(['API_TOKEN']);

  await vault.field('Environment').selectOption({ label: 'Production (protected)' });
  await expect(vault.root.getByRole('note')).toHaveText('Protected: Production');
  await expect.poll(() => vault.optionNames()).toEqual([]);
});

test('new safes and environments, each with its own secrets', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret({ key: 'SHARED', value: 'personal-dev' });

  await vault.button('New safe').click();
  await vault.field('Safe name').fill('Personal');
  await vault.button('Create safe').click();
  await expect(vault.field('Safe name')).toHaveAccessibleDescription(/already exists/);
  await vault.field('Safe name').fill('Payments API');
  await vault.button('Create safe').click();
  await expect(vault.field('Safe')).toHaveValue(/.+/);
  await expect(vault.field('Safe').locator('option:checked')).toHaveText('Payments API');
  await expect.poll(() => vault.optionNames()).toEqual([]);

  await vault.button('New environment').click();
  await vault.field('Environment name').fill('QA');
  await vault.root.getByRole('checkbox', { name: 'Protected (like Production)' }).check();
  await vault.button('Create environment').click();
  await expect(vault.root.getByRole('note')).toHaveText('Protected: QA');
  await vault.addSecret({ key: 'SHARED', value: 'payments-qa' });

  await vault.field('Safe').selectOption({ label: 'Personal' });
  await vault.option('SHARED').click();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('personal-dev');
  await vault.button('Back to the list').click();

  // Search looks through every safe: this environment's match first, the other under its safe and
  // environment, still marked protected; opening it moves there.
  const search = vault.page.getByRole('searchbox', { name: 'Search' });
  await search.fill('shared');
  await expect.poll(() => vault.optionNames()).toEqual(['SHARED', 'SHARED']);
  const elsewhere = vault.root.getByRole('presentation').filter({ hasText: 'Payments API › QA' });
  await expect(elsewhere).toContainText('Protected');
  await search.fill('qa');
  await expect.poll(() => vault.optionNames()).toEqual(['SHARED']);
  await search.press('Enter');
  await expect(vault.root.getByRole('status').filter({ hasText: 'SHARED: Copied.' })).toBeVisible();
  await search.press('ArrowRight');
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('payments-qa');
  await vault.button('Back to the list').click();
  await expect(vault.root.getByRole('note')).toHaveText('Protected: QA');
});

test('a lock from elsewhere hides revealed values at once', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret({ key: 'ON_SCREEN', value: 'must-not-linger' });
  await vault.option('ON_SCREEN').click();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('must-not-linger');

  // Another Keysmith page locks (as the idle alarm or the popup's Lock would).
  const other = await VaultPage.open(await context.newPage(), extensionId);
  await other.expectUnlocked();
  await other.button('Lock').click();

  await expect(vault.button('Unlock')).toBeVisible();
  await expect(vault.page.getByText('must-not-linger')).toHaveCount(0);
});
