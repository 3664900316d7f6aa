import { parse } from 'dotenv';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, extensionIdOf, launchWithExtension, test } from './fixtures';
import { OptionsPage } from './pages/options';

// Master passwords of 12+ characters. Each derivation is 600,000 PBKDF2 rounds (~0.4 s here),
// so every test counts its unlocks.
const MASTER = 'correct horse battery staple';
const NEW_MASTER = 'tr0ubadour & 3 more words';

test('settings set up on the options page persist, and KDF iterations need the master password', async ({ context, extensionId }) => {
  const options = await OptionsPage.open(context, extensionId);
  await options.setup(MASTER);

  // Defaults first, then saved as soon as they are chosen.
  await expect(options.autoLock()).toHaveValue('15');
  await expect(options.clipboard()).toHaveValue('30');
  await options.choose(options.autoLock(), 'Only when the browser restarts');
  await options.choose(options.clipboard(), 'After 2 min');
  await options.page.reload();
  await options.expectUnlocked();
  await expect(options.autoLock()).toHaveValue('restart');
  await expect(options.clipboard()).toHaveValue('120');
  await options.choose(options.autoLock(), '1 hour');
  await options.choose(options.clipboard(), 'Never');
  await options.page.reload();
  await expect(options.autoLock()).toHaveValue('60');
  await expect(options.clipboard()).toHaveValue('0');

  // Out of range: refused beside the field, before any key derivation.
  let form = await options.setIterations(500_000, MASTER);
  await expect(form.getByLabel('PBKDF2 iterations', { exact: true })).toHaveAccessibleDescription(/600,000 to 2,000,000/);

  // Wrong master password: said beside it, and nothing changes.
  form = await options.setIterations(700_000, 'not the master password');
  await expect(form.getByLabel('Master password', { exact: true })).toHaveAccessibleDescription(/Wrong master password/);
  await expect(form.getByLabel('PBKDF2 iterations', { exact: true })).toHaveAccessibleDescription(/Now 600,000/);

  form = await options.setIterations(700_000, MASTER);
  await expect(form.getByRole('status')).toHaveText('KDF iterations set to 700,000');
  await expect(form.getByLabel('PBKDF2 iterations', { exact: true })).toHaveAccessibleDescription(/Now 700,000/);

  // The new count is stored, and the same master password still opens the vault under it.
  await options.lock();
  await options.page.reload();
  await options.unlock(MASTER);
  await expect(options.form('KDF iterations').getByLabel('PBKDF2 iterations', { exact: true })).toHaveAccessibleDescription(/Now 700,000/);
  await expect(options.autoLock()).toHaveValue('60');
});
