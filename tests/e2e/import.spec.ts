import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpExtensionStorage } from './dump';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { VaultPage } from './pages/vault';

const MASTER = 'correct horse battery staple';
const FIXTURES = join(import.meta.dirname, '../fixtures/import');
// The fixture's password (tests/fixtures/import/make-bitwarden-protected.mjs).
const EXPORT_PASSWORD = 'correct horse battery staple';

// The Argon2id export: the page derives with the bundled WebAssembly under the extension's CSP.
test('a password-protected Bitwarden export: preview, a clash choice, the secrets in the vault, nothing of the file stored', async ({
  context,
  extensionId,
}) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  // Already in the vault where the import will put Bitwarden's "GitHub" and "Deploy key".
  await vault.addSecret({ key: 'GitHub', value: 'stored-before', path: '/bw' });
  await vault.addSecret({ key: 'Deploy key', value: 'stored-key', path: '/bw' });

  const options = await OptionsPage.open(context, extensionId);
  await options.expectUnlocked();
  const section = options.page.getByRole('region', { name: 'Import from another manager' });
  const form = section.getByRole('form', { name: 'Import from another manager' });
  await form.getByLabel('Path', { exact: true }).fill('/bw');
  const file = {
    name: 'bitwarden_export.json',
    mimeType: 'application/json',
    buffer: readFileSync(join(FIXTURES, 'bitwarden-protected-argon2.json')),
  };
  await form.getByLabel('Export file', { exact: true }).setInputFiles(file);

  // Wrong password: said beside the password, nothing read.
  await form.getByLabel('Export password', { exact: true }).fill('not the password');
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(form.getByLabel('Export password', { exact: true })).toHaveAccessibleDescription(
    /Wrong password for this Bitwarden export/,
    { timeout: 15_000 },
  );

  await form.getByLabel('Export password', { exact: true }).fill(EXPORT_PASSWORD);
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = section.getByRole('form', { name: 'What will be imported into Personal / Development' });
  await expect(preview).toBeVisible({ timeout: 15_000 });
  await expect(preview.getByText('Read as: Bitwarden (JSON file, plain or password-protected)')).toBeVisible();
  await expect(preview.getByText('Secrets read: 9')).toBeVisible();
  await expect(preview.getByRole('list', { name: 'Path' }).getByRole('listitem')).toHaveText([
    '/bw/Work/Cloud: 3',
    '/bw: 5',
    '/bw/_/_/etc: 1',
  ]);
  await expect(preview.getByText('Names repeated in the file, stored with a number added (KEY_2): 1')).toBeVisible();
  await expect(preview.getByRole('region', { name: 'Not imported as such' }).getByRole('listitem')).toHaveText([
    /^TOTP seeds \(1\): imported as their own secret/,
    /^Passkeys \(1\): not imported/,
    /^Identities \(1\): not imported/,
  ]);
  const clashes = preview.getByRole('region', { name: 'Names that already exist: 2' });
  await expect(clashes.getByRole('group')).toHaveText([/^GitHub at \/bw/, /^Deploy key at \/bw/]);
  // Skip is the default; overwrite GitHub, keep both Deploy keys.
  await expect(
    clashes.getByRole('group', { name: 'GitHub at /bw' }).getByRole('radio', { name: 'Skip (keep the stored one)' }),
  ).toBeChecked();
  await clashes.getByRole('group', { name: 'GitHub at /bw' }).getByRole('radio', { name: 'Overwrite' }).check();
  await clashes
    .getByRole('group', { name: 'Deploy key at /bw' })
    .getByRole('radio', { name: 'Keep both (the imported one gets a new name)' })
    .check();
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(section.getByRole('status')).toHaveText('Imported 8, updated 1, skipped 0');

  // In the vault as a person sees it.
  await vault.page.reload();
  await vault.expectUnlocked();
  await expect(vault.option('GitHub_2')).toBeVisible();
  await expect(vault.option('AWS console Secret access key')).toBeVisible();
  await expect(vault.option('../secrets')).toBeVisible();
  await vault.option('GitHub').first().click();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('gh-one');
  await vault.page.reload();
  await vault.expectUnlocked();
  await vault.option('Deploy key_2').click();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toContainText('BEGIN OPENSSH PRIVATE KEY');

  // The file, its password and the imported values are nowhere in the extension's storage.
  const dump = await dumpExtensionStorage(context);
  for (const plaintext of ['hunter2-aws', 'gh-two', 'wJalrXUtnFEMI', 'AWS console', 'Work/Cloud', 'encKeyValidation', EXPORT_PASSWORD]) {
    expect(dump, `found "${plaintext}" in storage`).not.toContain(plaintext);
  }
});

test('Cancel on the preview writes nothing; a damaged file is refused beside the file picker', async ({ context, extensionId }) => {
  const options = await OptionsPage.open(context, extensionId);
  await options.setup(MASTER);
  const section = options.page.getByRole('region', { name: 'Import from another manager' });
  const form = section.getByRole('form', { name: 'Import from another manager' });
  // Over 16 MiB: refused before the page reads it.
  await form
    .getByLabel('Export file', { exact: true })
    .setInputFiles({ name: 'huge.env', mimeType: 'text/plain', buffer: Buffer.alloc(16 * 1024 * 1024 + 1, 'A') });
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(form.getByLabel('Export file', { exact: true })).toHaveAccessibleDescription(
    'This file is larger than 16 MiB: split the export and import it in parts',
  );
  await form
    .getByLabel('Export file', { exact: true })
    .setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"encrypted": false, "items": [') });
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(form.getByLabel('Export file', { exact: true })).toHaveAccessibleDescription(/not valid JSON/);

  await form.getByLabel('Format', { exact: true }).selectOption({ label: '1Password (CSV file)' });
  await form
    .getByLabel('Export file', { exact: true })
    .setInputFiles({ name: '1password.csv', mimeType: 'text/csv', buffer: readFileSync(join(FIXTURES, '1password.csv')) });
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = section.getByRole('form', { name: /^What will be imported/ });
  await expect(preview.getByText('Secrets read: 4')).toBeVisible();
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toBeVisible();
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.expectUnlocked();
  await expect(vault.list().getByRole('option')).toHaveCount(0);
});

test('in a French browser, the import speaks French: its form, its preview, its refusals', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-fr-'));
  const context = await launchWithExtension(dir, 'fr');
  try {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${await extensionIdOf(context)}/options.html`);
    await page.getByLabel('Mot de passe maître', { exact: true }).fill(MASTER);
    await page.getByLabel('Confirmez le mot de passe maître').fill(MASTER);
    await page.getByRole('button', { name: 'Créer le coffre-fort' }).click();
    const section = page.getByRole('region', { name: 'Importer depuis un autre gestionnaire' });
    const form = section.getByRole('form', { name: 'Importer depuis un autre gestionnaire' });
    await form
      .getByLabel("Fichier d'export", { exact: true })
      .setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{') });
    await form.getByRole('button', { name: 'Aperçu' }).click();
    await expect(form.getByLabel("Fichier d'export", { exact: true })).toHaveAccessibleDescription(
      "Ce fichier n'est pas du JSON valide\u00a0: choisissez le fichier d'export lui-même, sans modification",
    );
    await form
      .getByLabel("Fichier d'export", { exact: true })
      .setInputFiles({ name: 'export.1pux', mimeType: 'application/zip', buffer: readFileSync(join(FIXTURES, '1password.1pux')) });
    await form.getByRole('button', { name: 'Aperçu' }).click();
    const preview = section.getByRole('form', { name: /^Ce qui sera importé dans / });
    await expect(preview.getByText('Lu comme\u00a0: 1Password (fichier 1PUX)')).toBeVisible();
    await expect(preview.getByRole('region', { name: 'Non importé tel quel' }).getByRole('listitem').first()).toHaveText(
      /^Clés d'accès \(1\)\s: non importées/,
    );
    await preview.getByRole('button', { name: 'Importer', exact: true }).click();
    await expect(section.getByRole('status')).toHaveText('Importés : 5, mis à jour : 0, ignorés : 0');
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
