import { describe, expect, it } from 'vitest';
import { detectFormat, readImport } from '../../../lib/import';
import { fixture, text } from './helpers';

describe('each format maps to path, key, value (docs/import.md)', () => {
  it('detects every fixture format from its content', () => {
    const cases = {
      'bitwarden.json': 'bitwarden',
      'bitwarden-protected-pbkdf2.json': 'bitwarden',
      '1password.1pux': 'onepux',
      '1password.csv': 'onepassword-csv',
      'doppler.json': 'phase', // a flat object: Doppler's and Phase's JSON read the same
      'doppler-secrets.json': 'doppler',
      'infisical.json': 'infisical',
      'dotenv.env': 'dotenv',
    };
    for (const [name, format] of Object.entries(cases)) expect([name, detectFormat(fixture(name))]).toEqual([name, format]);
  });

  it('Bitwarden: folder → path (nested, never above the base), name → key, hidden fields and TOTP → own secrets', async () => {
    const r = await readImport(fixture('bitwarden.json'), { basePath: '/imported' });
    expect(r.format).toBe('bitwarden');
    expect(r.secrets.map((s) => [s.path, s.key, s.value])).toEqual([
      ['/imported/Work/Cloud', 'AWS console TOTP', 'otpauth://totp/AWS:ops?secret=JBSWY3DPEHPK3PXP'],
      ['/imported/Work/Cloud', 'AWS console Secret access key', 'wJalrXUtnFEMI/K7MDENG'],
      ['/imported/Work/Cloud', 'AWS console', 'hunter2-aws'],
      ['/imported', 'GitHub', 'gh-one'],
      ['/imported', 'GitHub', 'gh-two'],
      ['/imported/_/_/etc', '../secrets', 'DATABASE_URL=postgres://u:p@db/x'],
      ['/imported', 'Company card Code', '123'],
      ['/imported', 'Company card', '4111111111111111'],
      ['/imported', 'Deploy key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----'],
    ]);
    const aws = r.secrets.find((s) => s.key === 'AWS console')!;
    expect(aws.comment).toBe('Username: ops@example.com\nAccess key id: AKIAEXAMPLE\nroot account, MFA on');
    expect(aws.autofill).toEqual([{ origin: 'https://console.aws.amazon.com', subdomains: false }]);
    expect(r.notices).toEqual({ totp: 1, passkey: 1, identity: 1 });
  });

  it('1PUX: vault → path, title → key, password or first concealed field → value; documents, passkeys, archived items counted', async () => {
    const r = await readImport(fixture('1password.1pux'));
    expect(r.format).toBe('onepux');
    expect(r.secrets.map((s) => [s.path, s.key, s.value])).toEqual([
      ['/Private', 'GitLab', 'gl-pass'],
      ['/Private', 'GitLab TOTP', 'otpauth://totp/GitLab?secret=GEZDGNBV'],
      ['/Private', 'GitLab recovery code', 'rec-0001'],
      ['/Private', 'OpenAI API', 'sk-live-openai'],
      ['/_/Shared', 'VPN notes', 'VPN_PSK=abc'],
    ]);
    expect(r.secrets[0]).toMatchObject({
      comment: 'Username: ada\nteam: platform\nGitLab account',
      tags: ['dev'],
      autofill: [{ origin: 'https://gitlab.com', subdomains: false }],
    });
    expect(r.notices).toEqual({ passkey: 1, totp: 1, attachment: 1, empty: 1, archived: 1 });
  });

  it('1Password CSV: quoted commas, quotes and line breaks; formula-looking cells stay text; archived rows left out', async () => {
    const r = await readImport(fixture('1password.csv'), { basePath: '/web' });
    expect(r.secrets.map((s) => [s.path, s.key, s.value])).toEqual([
      ['/web', 'Stripe dashboard', 'pa,ss"word'],
      ['/web', 'Formula', '=HYPERLINK("http://evil.example","x")'],
      ['/web', 'With TOTP TOTP', 'otpauth://totp/X?secret=ABC'],
      ['/web', 'With TOTP', 'totp-pw'],
    ]);
    expect(r.secrets[0]).toMatchObject({ comment: 'Username: ops@example.com\ntwo\nlines', tags: ['billing', 'prod'] });
    // Not evaluated, not prefixed, not escaped: exactly the characters of the cell.
    expect(r.secrets[1]!.comment).toBe('Username: =HYPERLINK("http://evil.example","click")\n+cmd|calc');
    expect(r.notices).toEqual({ archived: 1, totp: 1 });
  });

  it('Doppler (both shapes), Phase, Infisical and .env', async () => {
    expect((await readImport(fixture('doppler.json'), { format: 'doppler', basePath: '/d' })).secrets).toEqual([
      { path: '/d', key: 'DATABASE_URL', value: 'postgres://app:s3cret@db.internal:5432/app' },
      { path: '/d', key: 'STRIPE_KEY', value: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' },
      { path: '/d', key: 'MULTILINE', value: 'line one\nline two' },
    ]);
    expect((await readImport(fixture('doppler-secrets.json'))).secrets).toEqual([
      { path: '/', key: 'API_URL', value: 'https://api.example.com/v1', comment: 'public' },
      { path: '/', key: 'API_TOKEN', value: 'tok_live_123' },
    ]);
    expect((await readImport(fixture('phase.json'), { format: 'phase' })).secrets.map((s) => s.value)).toEqual([
      'db.internal',
      'postgres://app@${DB_HOST}/app',
      '$${NOT_A_REFERENCE}',
    ]);
    const infisical = await readImport(fixture('infisical.json'), { basePath: '/app' });
    expect(infisical.secrets).toEqual([
      { path: '/app', key: 'SMTP_PASSWORD', value: 'mail-pass', comment: 'rotated in May', tags: ['mail'] },
      { path: '/app/workers/_/_/escape', key: 'REDIS_URL', value: 'redis://cache:6379' },
    ]);
    expect(infisical.notices).toEqual({ personal: 1 });
    expect((await readImport(fixture('dotenv.env'))).secrets).toEqual([
      { path: '/', key: 'DATABASE_URL', value: 'postgres://localhost/dev', comment: 'Primary database' },
      { path: '/', key: 'API_KEY', value: 'abc#123' },
    ]);
    expect((await readImport(text('A=1'), { format: 'dotenv', basePath: '/x/../y' }).catch((e: Error) => e)) as Error).toMatchObject({
      code: 'invalid_input',
    });
  });
});
