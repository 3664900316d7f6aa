import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpExtensionStorage } from './dump';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';

const MASTER = 'cheval correct agrafe batterie 42';

// A browser set to French shows Keysmith in French: the words of the popup, an error that comes
// from the background (the vault's own message, rendered in the page's language), and the options page.
test('a French browser gets Keysmith in French, errors from the vault included', async () => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-fr-'));
  const context = await launchWithExtension(dir, 'fr');
  try {
    const id = await extensionIdOf(context);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/popup.html`);
    const uiLanguage = () => (globalThis as unknown as { chrome: { i18n: { getUILanguage(): string } } }).chrome.i18n.getUILanguage();
    expect(await page.evaluate(uiLanguage)).toMatch(/^fr/);
    await expect(page.locator('html')).toHaveAttribute('lang', /^fr/);

    const vault = page.getByRole('tabpanel', { name: 'Coffre-fort' });
    await expect(vault.getByRole('form', { name: 'Créez votre coffre-fort' })).toBeVisible();
    await vault.getByLabel('Mot de passe maître', { exact: true }).fill(MASTER);
    await vault.getByLabel('Confirmez le mot de passe maître').fill(MASTER);
    await vault.getByRole('button', { name: 'Créer le coffre-fort' }).click();
    const search = page.getByRole('searchbox', { name: 'Rechercher' });
    await expect(search).toBeVisible({ timeout: 20_000 });
    // The first safe is named in the user's language.
    await expect(vault.getByLabel('Coffre', { exact: true })).toHaveValue(/.+/);
    await expect(vault.getByLabel('Coffre', { exact: true }).locator('option:checked')).toHaveText('Personnel');
    await expect(page.getByText('Aucun secret dans cet environnement pour l’instant')).toBeVisible();

    // The background refuses in English data; the page says it in French.
    await vault.getByRole('button', { name: 'Verrouiller' }).click();
    await vault.getByLabel('Mot de passe maître', { exact: true }).fill('pas le bon mot de passe');
    await vault.getByRole('button', { name: 'Déverrouiller' }).click();
    await expect(vault.getByLabel('Mot de passe maître', { exact: true })).toHaveAccessibleDescription('Mot de passe maître incorrect.');

    await vault.getByLabel('Mot de passe maître', { exact: true }).fill(MASTER);
    await vault.getByRole('button', { name: 'Déverrouiller' }).click();
    await expect(search).toBeVisible({ timeout: 20_000 });
    await search.fill('rien');
    await expect(page.getByText('Aucun secret d’aucun coffre ne correspond à « rien ».')).toBeVisible();

    // The safe's French name is sealed like any other name: nowhere in storage in the clear.
    const dump = await dumpExtensionStorage(context);
    for (const plaintext of ['Personnel', MASTER]) expect(dump, `found "${plaintext}" in storage`).not.toContain(plaintext);

    const options = await context.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    await expect(options).toHaveTitle('Réglages de Keysmith');
    await expect(options.getByRole('heading', { name: 'Sécurité' })).toBeVisible();
    await expect(options.getByLabel('Verrouiller après une période d’inactivité')).toBeVisible();
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
