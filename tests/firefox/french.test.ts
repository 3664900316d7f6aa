// Keysmith in a French Firefox: the extension's words follow the browser's language, errors from
// the background page included (they travel as data and are rendered by the page).
import type { Browser } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { control, launchFirefox, openExtensionPage, waitForDescription, waitForText } from './firefox';

const MASTER = 'cheval correct agrafe batterie 42';

describe('Keysmith in a French Firefox', () => {
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it('shows the popup and a refusal from the background in French', async () => {
    browser = await launchFirefox(undefined, 'fr');
    const page = await openExtensionPage(browser, '/popup.html');
    expect(
      await page.evaluate(() => (globalThis as unknown as { browser: { i18n: { getUILanguage(): string } } }).browser.i18n.getUILanguage()),
    ).toMatch(/^fr/);
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^fr/);
    await (await control(page, 'Mot de passe maître')).type(MASTER);
    await (await control(page, 'Confirmez le mot de passe maître')).type(MASTER);
    await (await control(page, 'Créer le coffre-fort')).click();
    await control(page, 'Rechercher', 30_000);
    await waitForText(page, 'Aucun secret dans cet environnement pour l’instant');

    await (await control(page, 'Verrouiller')).click();
    await (await control(page, 'Mot de passe maître')).type('pas le bon mot de passe');
    await (await control(page, 'Déverrouiller')).click();
    await waitForDescription(page, 'Mot de passe maître', /^Mot de passe maître incorrect\.$/);
  });
});
