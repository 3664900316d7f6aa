import { test as base, chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromiumPath } from './chromium';

export const EXTENSION_DIR = resolve('.output/chrome-mv3');

/**
 * Launches Chromium with the built extension in a fresh profile directory, in English unless
 * `lang` names another user interface language (Debian needs chromium-l10n for it).
 */
export async function launchWithExtension(userDataDir: string, lang = 'en-US', extraArgs: string[] = []): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    // Playwright passes its own --lang from `locale`; Chromium on Linux also reads LANGUAGE.
    locale: lang,
    env: { ...process.env, LANGUAGE: lang },
    headless: true,
    acceptDownloads: true,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      // This network reaches only package registries; keep Chromium from trying Google's hosts.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--lang=${lang}`,
      ...extraArgs,
    ],
  });
}

export async function extensionIdOf(context: BrowserContext): Promise<string> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return new URL(worker.url()).host;
}

export const test = base.extend<{ userDataDir: string; context: BrowserContext; extensionId: string }>({
  userDataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-profile-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  context: async ({ userDataDir }, use) => {
    const context = await launchWithExtension(userDataDir);
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => {
    await use(await extensionIdOf(context));
  },
});

export const expect = test.expect;
