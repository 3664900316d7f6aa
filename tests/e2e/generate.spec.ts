import { execFileSync } from 'node:child_process';
import { expect, test } from './fixtures';
import { PopupPage } from './pages/popup';

test('the popup generates every key type with its entropy', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const cases = [
    { type: 'API key (prefix_ + 64 hex)', options: { prefix: 'sk' }, pattern: /^sk_[0-9a-f]{64}$/, entropy: '256 bits' },
    { type: 'UUID v4', options: {}, pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, entropy: '122 bits' },
    { type: 'Nanoid', options: { length: 30 }, pattern: /^[A-Za-z0-9_-]{30}$/, entropy: '180 bits' },
    { type: 'Hex secret', options: { length: 40 }, pattern: /^[0-9a-f]{40}$/, entropy: '160 bits' },
  ];
  for (const { type, options, pattern, entropy } of cases) {
    const form = await popup.generateKey(type, options);
    await expect(form.getByLabel('Generated key', { exact: true })).toHaveValue(pattern);
    await expect(form.getByLabel('Entropy', { exact: true })).toHaveText(`${entropy} of entropy`);
  }
});

test('a bad prefix or length is explained next to its field', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  let form = await popup.generateKey('API key (prefix_ + 64 hex)', { prefix: 'sk-live' });
  await expect(form.getByLabel('Prefix', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Prefix', { exact: true })).toHaveAccessibleDescription(/1 to 16 letters or digits/);
  await expect(form.getByLabel('Generated key', { exact: true })).toHaveCount(0);

  form = await popup.generateKey('Hex secret', { length: 8 });
  await expect(form.getByLabel('Length', { exact: true })).toHaveAccessibleDescription(/length must be a whole number from 16 to 1024/);
});

test('copy puts the generated key on the clipboard', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const form = await popup.generateKey('UUID v4');
  const key = await form.getByLabel('Generated key', { exact: true }).inputValue();
  await form.getByRole('button', { name: 'Copy generated key', exact: true }).click();
  await expect(form.getByRole('button', { name: 'Copy generated key', exact: true })).toHaveText('Copied');
  // Read the clipboard back as a person would: paste it somewhere.
  await popup.tab('Encrypt').click();
  const plaintext = popup.form('Encrypt').getByLabel('Plaintext', { exact: true });
  await plaintext.focus();
  await popup.page.keyboard.press('ControlOrMeta+V');
  await expect(plaintext).toHaveValue(key);
});

test('RSA 4096 shows progress without freezing the popup, and downloads PEM that openssl accepts', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const form = popup.form('Generate a key pair');
  await form.getByLabel('Algorithm', { exact: true }).selectOption('RSA');
  await form.getByLabel('Key size', { exact: true }).selectOption('4096');
  await form.getByRole('button', { name: 'Generate key pair', exact: true }).click();
  await expect(form.getByRole('status')).toContainText('Generating RSA 4096 key pair');

  // While the key is being made, the popup still answers: switch tabs and back.
  await popup.tab('Encrypt').click();
  await expect(popup.tab('Encrypt')).toHaveAttribute('aria-selected', 'true');
  await popup.tab('Generate').click();

  await expect(form.getByLabel('Private key', { exact: true })).toHaveValue(/^-----BEGIN RSA PRIVATE KEY-----/, { timeout: 45_000 });
  await expect(form.getByLabel('Public key', { exact: true })).toHaveValue(/^-----BEGIN PUBLIC KEY-----/);
  await expect(form.getByRole('status')).toHaveCount(0);

  const [download] = await Promise.all([
    popup.page.waitForEvent('download'),
    form.getByRole('button', { name: 'Download private key', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('keysmith-rsa-4096-private.pem');
  const path = await download.path();
  const check = execFileSync('openssl', ['rsa', '-check', '-noout', '-text', '-in', path], { encoding: 'utf8' });
  expect(check).toContain('RSA key ok');
  expect(check).toContain('Private-Key: (4096 bit');
});

test('EC key pairs in every curve and PKCS#8', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const form = popup.form('Generate a key pair');
  for (const curve of ['P-256', 'P-384', 'P-521']) {
    await form.getByLabel('Curve', { exact: true }).selectOption(curve);
    await form.getByRole('button', { name: 'Generate key pair', exact: true }).click();
    const pem = await form.getByLabel('Private key', { exact: true }).inputValue();
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const text = execFileSync('openssl', ['ec', '-check', '-noout', '-text'], {
      input: pem,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    expect(text).toContain({ 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[curve]!);
  }
  await form.getByLabel('Private key format', { exact: true }).selectOption('PKCS#8');
  await form.getByRole('button', { name: 'Generate key pair', exact: true }).click();
  await expect(form.getByLabel('Private key', { exact: true })).toHaveValue(/^-----BEGIN PRIVATE KEY-----/);
});
