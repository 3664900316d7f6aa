import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';
import { PopupPage } from './pages/popup';

interface Sealed {
  ciphertext: string;
  iv: string;
  tag: string;
  salt: string | null;
  iterations?: number;
  algorithm: string;
}

function nodeDecrypt(key: Buffer, sealed: Sealed): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

async function encryptInPopup(popup: PopupPage, plaintext: string, secret: { key?: string; password?: string }) {
  await popup.tab('Encrypt').click();
  const form = popup.form('Encrypt');
  await form.getByLabel('Plaintext', { exact: true }).fill(plaintext);
  if (secret.password !== undefined) {
    await form.getByRole('radio', { name: 'Use a password' }).check();
    await form.getByLabel('Password', { exact: true }).fill(secret.password);
  } else {
    await form.getByLabel('Key', { exact: true }).fill(secret.key!);
  }
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  const json = form.getByLabel('Encrypted (Toolkit JSON)', { exact: true });
  await expect(json).toHaveValue(/"ciphertext"/, { timeout: 20_000 });
  return JSON.parse(await json.inputValue()) as Sealed;
}

async function decryptInPopup(popup: PopupPage, json: string, secret: { key?: string; password?: string }) {
  const form = popup.form('Decrypt');
  await form.getByLabel('Toolkit JSON', { exact: true }).fill(json);
  if (secret.password !== undefined) await form.getByLabel('Password', { exact: true }).fill(secret.password);
  else await form.getByLabel('Key', { exact: true }).fill(secret.key!);
  await form.getByRole('button', { name: 'Decrypt', exact: true }).click();
  return form;
}

const PLAINTEXT = 'postgres://admin:pa$$wörd@db:5432/app 🔐';

test('text encrypted with a hex key decrypts in the popup and in Node crypto', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const key = randomBytes(32).toString('hex');
  const sealed = await encryptInPopup(popup, PLAINTEXT, { key });
  expect(sealed).toMatchObject({ algorithm: 'AES-256-GCM', salt: null });
  expect(nodeDecrypt(Buffer.from(key, 'hex'), sealed)).toBe(PLAINTEXT);

  const form = await decryptInPopup(popup, JSON.stringify(sealed), { key });
  await expect(form.getByLabel('Decrypted text', { exact: true })).toHaveValue(PLAINTEXT);
});

test('text encrypted with a password decrypts in the popup and in Node crypto', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const sealed = await encryptInPopup(popup, PLAINTEXT, { password: 'correct horse battery staple' });
  expect(sealed.iterations).toBe(600_000);
  const key = pbkdf2Sync('correct horse battery staple', Buffer.from(sealed.salt!, 'base64'), 600_000, 32, 'sha256');
  expect(nodeDecrypt(key, sealed)).toBe(PLAINTEXT);

  const form = await decryptInPopup(popup, JSON.stringify(sealed), { password: 'correct horse battery staple' });
  await expect(form.getByLabel('Decrypted text', { exact: true })).toHaveValue(PLAINTEXT, { timeout: 20_000 });
});

test('ciphertext made by Node crypto decrypts from its separate fields', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  await popup.tab('Encrypt').click();
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update('made in node', 'utf8'), cipher.final()]);
  const form = popup.form('Decrypt');
  await form.getByLabel('Ciphertext', { exact: true }).fill(ciphertext.toString('base64'));
  await form.getByLabel('IV', { exact: true }).fill(iv.toString('base64'));
  await form.getByLabel('Tag', { exact: true }).fill(cipher.getAuthTag().toString('base64'));
  await form.getByLabel('Key', { exact: true }).fill(key.toString('hex'));
  await form.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(form.getByLabel('Decrypted text', { exact: true })).toHaveValue('made in node');
});

test('errors are shown in plain words beside the field that caused them', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  await popup.tab('Encrypt').click();
  const encrypt = popup.form('Encrypt');
  await encrypt.getByLabel('Plaintext', { exact: true }).fill('x');
  await encrypt.getByLabel('Key', { exact: true }).fill('abc123');
  await encrypt.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(encrypt.getByLabel('Key', { exact: true })).toHaveAccessibleDescription(/Key must be 64 hex characters/);

  const key = randomBytes(32).toString('hex');
  const sealed = await encryptInPopup(popup, 'secret', { key });
  const wrongKey = await decryptInPopup(popup, JSON.stringify(sealed), { key: randomBytes(32).toString('hex') });
  await expect(wrongKey.getByRole('alert')).toHaveText(/key or password is wrong, or the data was altered/);
  await expect(wrongKey.getByLabel('Decrypted text', { exact: true })).toHaveCount(0);

  const decrypt = popup.form('Decrypt');
  await decrypt.getByLabel('Toolkit JSON', { exact: true }).fill('{"ciphertext": ');
  await expect(decrypt.getByLabel('Toolkit JSON', { exact: true })).toHaveAccessibleDescription(/not valid JSON/);
  await decrypt.getByLabel('Toolkit JSON', { exact: true }).fill(JSON.stringify({ ...sealed, iv: 'AAAA' }));
  await decrypt.getByLabel('Key', { exact: true }).fill(key);
  await decrypt.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(decrypt.getByLabel('IV', { exact: true })).toHaveAccessibleDescription(/iv must be 12 bytes/);
});
