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

test('settings set up on the options page persist, and changing the key derivation needs the master password', async ({
  context,
  extensionId,
}) => {
  const options = await OptionsPage.open(context, extensionId);
  await options.setup(MASTER);

  // Defaults first, then saved as soon as they are chosen.
  await expect(options.autoLock()).toHaveValue('15');
  await expect(options.clipboard()).toHaveValue('30');
  // The keyboard shortcuts, as the browser has them (in its order).
  const shortcuts = options.page.getByRole('region', { name: 'Keyboard shortcuts' });
  await expect(shortcuts.getByRole('row')).toHaveText([
    'Open KeysmithAlt+Shift+K',
    'Encrypt the selection with the first encryption keyAlt+Shift+E',
    'Fill this site’s first secret into the focused fieldAlt+Shift+F',
  ]);
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

  // A new vault derives with Argon2id; Settings says so.
  const algorithm = () => options.form('Key derivation').getByLabel('Algorithm', { exact: true });
  await expect(algorithm()).toHaveAccessibleDescription(/Now Argon2id, 64 MiB, 3 passes, 4 lanes/);

  // Out of range: refused beside the field, before any key derivation.
  let form = await options.setKdf(MASTER, 500_000);
  await expect(form.getByLabel('PBKDF2 iterations', { exact: true })).toHaveAccessibleDescription(/600,000 to 2,000,000/);

  // Wrong master password: said beside it, and nothing changes.
  form = await options.setKdf('not the master password', 700_000);
  await expect(form.getByLabel('Master password', { exact: true })).toHaveAccessibleDescription(/Wrong master password/);
  await expect(algorithm()).toHaveAccessibleDescription(/Now Argon2id/);

  form = await options.setKdf(MASTER, 700_000);
  await expect(form.getByRole('status')).toHaveText('Key derivation set to PBKDF2-HMAC-SHA256, 700,000 iterations');
  await expect(algorithm()).toHaveAccessibleDescription(/Now PBKDF2-HMAC-SHA256, 700,000 iterations/);

  // The new parameters are stored, and the same master password still opens the vault under them.
  await options.lock();
  await options.page.reload();
  await options.unlock(MASTER);
  await expect(algorithm()).toHaveAccessibleDescription(/Now PBKDF2-HMAC-SHA256, 700,000 iterations/);

  // And back to Argon2id.
  form = await options.setKdf(MASTER);
  await expect(algorithm()).toHaveAccessibleDescription(/Now Argon2id, 64 MiB/);
  await expect(options.autoLock()).toHaveValue('60');
});

test('changing the master password: a wrong current one is refused, then only the new one unlocks', async ({ context, extensionId }) => {
  const options = await OptionsPage.open(context, extensionId);
  await options.setup(MASTER);

  let form = await options.changeMasterPassword('not the master password', NEW_MASTER);
  await expect(form.getByLabel('Current master password', { exact: true })).toHaveAccessibleDescription(/Wrong master password/);
  await options.lock();
  await options.unlock(MASTER);

  form = await options.changeMasterPassword(MASTER, NEW_MASTER);
  await expect(form.getByRole('status')).toHaveText(/Master password changed/);
  await options.lock();
  await options.page.reload();
  const unlock = await options.tryUnlock(MASTER);
  await expect(unlock.getByLabel('Master password', { exact: true })).toHaveAccessibleDescription(/Wrong master password/);
  await options.unlock(NEW_MASTER);
});

// Comments, every quote style, `export ` prefixes, an inline comment, an escape and a multi-line value.
const DOTENV = [
  '# Database settings',
  'export DB_HOST=db.internal',
  "DB_PASSWORD='p@ss word #not-a-comment'",
  'GREETING="hello\\nworld"',
  'API_URL=https://api.example.com/v1?x=1 # inline comment',
  '',
  '# A PEM key, over several lines',
  'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----',
  'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA',
  '-----END PRIVATE KEY-----"',
  'export   QUOTED_HASH="value # with hash"',
  'EMPTY=',
  'BACKTICK=`it\'s "both"`',
  '',
].join('\n');

test('a .env file imports and exports back identical in meaning', async ({ context, extensionId }) => {
  const options = await OptionsPage.open(context, extensionId);
  await options.setup(MASTER);
  const original = parse(DOTENV);
  expect(Object.keys(original)).toHaveLength(8);
  expect(original.PRIVATE_KEY).toContain('\n');

  let form = await options.importDotenv({ file: DOTENV });
  await expect(form.getByRole('status')).toHaveText('Imported 8, updated 0, skipped 0');

  const exported = await options.exportDotenv({ path: '/' });
  expect(exported.filename).toBe('Personal-Development.env');
  expect(parse(exported.text)).toEqual(original);

  // Importing the same keys again: stop (default) is explained at the choice, skip and overwrite count.
  form = await options.importDotenv({ text: DOTENV });
  await expect(form.getByRole('group', { name: 'If a key already exists' })).toHaveAccessibleDescription(
    /already exist.*choose skip or overwrite/,
  );
  form = await options.importDotenv({ text: DOTENV, onConflict: 'Skip it (keep the stored value)' });
  await expect(form.getByRole('status')).toHaveText('Imported 0, updated 0, skipped 8');
  form = await options.importDotenv({ text: 'DB_HOST=db2.internal\n', onConflict: 'Overwrite it' });
  await expect(form.getByRole('status')).toHaveText('Imported 0, updated 1, skipped 0');

  // A bad path is said beside the path field.
  form = await options.importDotenv({ text: 'X=1\n', path: 'api' });
  await expect(form.getByLabel('Path', { exact: true })).toHaveAccessibleDescription(/Path must start with \//);

  // Another path, then an export of every path (empty path) holds both.
  form = await options.importDotenv({ text: 'export SERVICE_TOKEN="tok en"\n', path: '/api' });
  await expect(form.getByRole('status')).toHaveText('Imported 1, updated 0, skipped 0');
  const all = await options.exportDotenv();
  expect(parse(all.text)).toEqual({ ...original, DB_HOST: 'db2.internal', SERVICE_TOKEN: 'tok en' });
  // Other environments are untouched.
  const staging = await options.exportDotenv({ environment: 'Staging' });
  expect(staging.filename).toBe('Personal-Staging.env');
  expect(parse(staging.text)).toEqual({});
});

const BACKUP_PASSWORD = 'backup passphrase 2024!';

test('a backup restores into a fresh profile, after refusing a wrong password without touching the vault there', async ({
  context,
  extensionId,
}) => {
  const first = await OptionsPage.open(context, extensionId);
  await first.setup(MASTER);
  await first.importDotenv({ text: DOTENV });
  const backup = await first.exportBackup(BACKUP_PASSWORD);
  expect(backup.filename).toMatch(/^keysmith-backup-\d{4}-\d{2}-\d{2}\.json$/);
  // The file is the Toolkit encrypt format, and none of the secrets shows in it.
  expect(Object.keys(JSON.parse(backup.text)).sort()).toEqual(['algorithm', 'ciphertext', 'iterations', 'iv', 'salt', 'tag']);
  expect(backup.text).not.toContain('db.internal');

  const otherDir = mkdtempSync(join(tmpdir(), 'keysmith-profile-'));
  const otherContext = await launchWithExtension(otherDir);
  try {
    const other = await OptionsPage.open(otherContext, await extensionIdOf(otherContext));
    await other.setup(NEW_MASTER);
    await other.importDotenv({ text: 'OTHER_VAULT_SECRET=kept\n' });

    // Without this vault's own master password, nothing is replaced.
    let form = await other.restoreBackup(backup.text, BACKUP_PASSWORD, 'not the current master password');
    await expect(form.getByLabel('Current master password', { exact: true })).toHaveAccessibleDescription(/Wrong master password/);

    form = await other.restoreBackup(backup.text, 'not the backup password', NEW_MASTER);
    await expect(form.getByLabel('Backup password', { exact: true })).toHaveAccessibleDescription(/Wrong backup password/);
    // Nothing changed: this vault still opens with its own password and keeps its secret.
    await other.lock();
    await other.unlock(NEW_MASTER);
    expect(parse((await other.exportDotenv({ path: '/' })).text)).toEqual({ OTHER_VAULT_SECRET: 'kept' });

    form = await other.restoreBackup(backup.text, BACKUP_PASSWORD, NEW_MASTER);
    await expect(other.form('Unlock Keysmith')).toBeVisible();
    await expect(
      other.page.getByText(/Backup restored\. Unlock with the master password that was current when the backup was made/),
    ).toBeVisible();
    // The restored vault is the first one: its master password, its secrets, not the other vault's.
    const unlock = await other.tryUnlock(NEW_MASTER);
    await expect(unlock.getByLabel('Master password', { exact: true })).toHaveAccessibleDescription(/Wrong master password/);
    await other.unlock(MASTER);
    expect(parse((await other.exportDotenv({ path: '/' })).text)).toEqual(parse(DOTENV));
  } finally {
    await otherContext.close();
    rmSync(otherDir, { recursive: true, force: true });
  }
});

test('a damaged or foreign backup file is refused and the vault is left as it was', async ({ context, extensionId }) => {
  const options = await OptionsPage.open(context, extensionId);
  await options.setup(MASTER);
  await options.importDotenv({ text: 'KEEP_ME=still here\n' });
  const backup = await options.exportBackup(BACKUP_PASSWORD);

  // One character of the ciphertext flipped: AES-GCM authentication fails.
  const sealed = JSON.parse(backup.text) as { ciphertext: string };
  const at = Math.floor(sealed.ciphertext.length / 2);
  const flipped = sealed.ciphertext[at] === 'A' ? 'B' : 'A';
  const damaged = JSON.stringify({ ...sealed, ciphertext: sealed.ciphertext.slice(0, at) + flipped + sealed.ciphertext.slice(at + 1) });
  let form = await options.restoreBackup(damaged, BACKUP_PASSWORD, MASTER);
  await expect(form.getByLabel('Backup password', { exact: true })).toHaveAccessibleDescription(/backup file is damaged/);

  // Not a backup at all: said beside the file.
  form = await options.restoreBackup('KEEP_ME=not json\n', BACKUP_PASSWORD, MASTER);
  await expect(form.getByLabel('Backup file', { exact: true })).toHaveAccessibleDescription(/not a Keysmith backup file/);

  // Larger than any backup: refused in the page, from its size, before the file is read.
  form = await options.restoreBackup(`{"ciphertext":"${'A'.repeat(49 * 1024 * 1024)}"}`, BACKUP_PASSWORD, MASTER);
  await expect(form.getByLabel('Backup file', { exact: true })).toHaveAccessibleDescription(
    /larger than a Keysmith backup can be \(at most 48 MiB\)/,
  );

  // Restoring without confirming the replacement does nothing.
  await form.getByLabel('Replace my current vault with this backup', { exact: true }).uncheck();
  await form.getByRole('button', { name: 'Restore backup' }).click();
  await expect(form.getByLabel('Replace my current vault with this backup', { exact: true })).toHaveAccessibleDescription(/Confirm/);

  await options.expectUnlocked();
  await options.lock();
  await options.unlock(MASTER);
  expect(parse((await options.exportDotenv({ path: '/' })).text)).toEqual({ KEEP_ME: 'still here' });
});
