import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, isCryptoError, type DecryptRequest, type EncryptRequest } from '../../../lib/toolkit';

const KEY = randomBytes(32).toString('hex');
const TEXTS = ['', 'hello', 'Sensitive user data — SSN, card number, etc.', '🔑 ключ 鍵\n\t"quoted"', 'x'.repeat(100_000)];

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (isCryptoError(error)) return error;
    throw error;
  }
  throw new Error('expected a CryptoError');
}

function nodeDecrypt(key: Buffer, r: { ciphertext: string; iv: string; tag: string }): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(r.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(r.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(r.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

function nodeEncrypt(key: Buffer, plaintext: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

describe('encrypt / decrypt with a hex key', () => {
  it.each(TEXTS.map((t) => [t.slice(0, 20), t]))('round-trips %j', async (_, plaintext) => {
    const sealed = await encrypt({ plaintext, key: KEY });
    expect(sealed).toMatchObject({ algorithm: 'AES-256-GCM', salt: null });
    expect(sealed.iterations).toBeUndefined();
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(sealed.ciphertext, 'base64')).toHaveLength(Buffer.byteLength(plaintext));
    expect(await decrypt({ ...sealed, key: KEY })).toEqual({ plaintext, algorithm: 'AES-256-GCM' });
  });

  it('uses a fresh IV every time', async () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) ivs.add((await encrypt({ plaintext: 'same', key: KEY })).iv);
    expect(ivs.size).toBe(50);
  });

  it('is decrypted by Node crypto, and decrypts what Node crypto encrypts', async () => {
    const key = Buffer.from(KEY, 'hex');
    for (const plaintext of TEXTS) {
      expect(nodeDecrypt(key, await encrypt({ plaintext, key: KEY }))).toBe(plaintext);
      expect((await decrypt({ ...nodeEncrypt(key, plaintext), key: KEY })).plaintext).toBe(plaintext);
    }
  });

  it('accepts upper-case hex keys', async () => {
    const sealed = await encrypt({ plaintext: 'hi', key: KEY.toUpperCase() });
    expect((await decrypt({ ...sealed, key: KEY })).plaintext).toBe('hi');
  });
});

describe('encrypt / decrypt with a password', () => {
  it('derives with PBKDF2-SHA256, 600,000 iterations and a fresh 16-byte salt, as Node does', async () => {
    const sealed = await encrypt({ plaintext: 'another secret', password: 'a-strong-master-password' });
    expect(sealed.iterations).toBe(600_000);
    const salt = Buffer.from(sealed.salt!, 'base64');
    expect(salt).toHaveLength(16);
    const key = pbkdf2Sync('a-strong-master-password', salt, 600_000, 32, 'sha256');
    expect(nodeDecrypt(key, sealed)).toBe('another secret');
    const again = await encrypt({ plaintext: 'another secret', password: 'a-strong-master-password' });
    expect(again.salt).not.toBe(sealed.salt);
  });

  it('decrypts Node-made ciphertext, defaulting to 600,000 iterations and honouring others', async () => {
    const salt = randomBytes(16);
    const defaultKey = pbkdf2Sync('pw', salt, 600_000, 32, 'sha256');
    const request = { ...nodeEncrypt(defaultKey, 'from node'), password: 'pw', salt: salt.toString('base64') };
    expect((await decrypt(request)).plaintext).toBe('from node');

    const fewerKey = pbkdf2Sync('pw', salt, 10_000, 32, 'sha256');
    const fewer = { ...nodeEncrypt(fewerKey, 'fewer'), password: 'pw', salt: salt.toString('base64'), iterations: 10_000 };
    expect((await decrypt(fewer)).plaintext).toBe('fewer');
  });
});

describe('authentication failures', () => {
  const flip = (b64: string, index = 0) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[index]! ^= 1;
    return bytes.toString('base64');
  };

  it('rejects a wrong key, wrong password, and any altered byte', async () => {
    const sealed = await encrypt({ plaintext: 'tamper me', key: KEY });
    const cases: DecryptRequest[] = [
      { ...sealed, key: randomBytes(32).toString('hex') },
      { ...sealed, key: KEY, ciphertext: flip(sealed.ciphertext) },
      { ...sealed, key: KEY, iv: flip(sealed.iv) },
      { ...sealed, key: KEY, tag: flip(sealed.tag, 15) },
    ];
    for (const request of cases) {
      const error = await failure(() => decrypt(request));
      expect(error.code).toBe('authentication_failed');
      expect(error.message).toMatch(/key or password is wrong, or the data was altered/);
    }
    const withPassword = await encrypt({ plaintext: 'x', password: 'right' });
    expect((await failure(() => decrypt({ ...withPassword, password: 'wrong' }))).code).toBe('authentication_failed');
    expect((await failure(() => decrypt({ ...withPassword, password: 'right', iterations: 599_999 }))).code).toBe('authentication_failed');
  });

  it('reports decrypted bytes that are not UTF-8', async () => {
    const key = Buffer.from(KEY, 'hex');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(Buffer.from([0xff, 0xfe])), cipher.final()]);
    const request = {
      ciphertext: ciphertext.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      key: KEY,
    };
    expect((await failure(() => decrypt(request))).message).toMatch(/not UTF-8/);
  });
});

describe('bad input', () => {
  const good = { ciphertext: 'AAAA', iv: 'AAAAAAAAAAAAAAAA', tag: 'AAAAAAAAAAAAAAAAAAAAAA==' };

  it.each<[string, unknown, string, RegExp]>([
    ['neither key nor password', { plaintext: 'x' }, 'key', /64-character hex key or a password/],
    ['both key and password', { plaintext: 'x', key: KEY, password: 'p' }, 'key', /not both/],
    ['a short key', { plaintext: 'x', key: 'abcd' }, 'key', /64 hex characters.*has 4/],
    ['a non-hex key', { plaintext: 'x', key: 'z'.repeat(64) }, 'key', /64 hex characters/],
    ['a missing plaintext', { key: KEY }, 'plaintext', /plaintext is required/],
    ['a numeric plaintext', { plaintext: 5, key: KEY }, 'plaintext', /must be a string/],
  ])('encrypt rejects %s', async (_, request, field, message) => {
    const error = await failure(() => encrypt(request as EncryptRequest));
    expect([error.code, error.field]).toEqual(['invalid_input', field]);
    expect(error.message).toMatch(message);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['bad base64 ciphertext', { ...good, ciphertext: 'not base64!', key: KEY }, 'ciphertext', /not valid base64/],
    ['bad base64 iv', { ...good, iv: 'AA=A', key: KEY }, 'iv', /not valid base64/],
    ['a short iv', { ...good, iv: 'AAAA', key: KEY }, 'iv', /12 bytes/],
    ['a short tag', { ...good, tag: 'AAAA', key: KEY }, 'tag', /16 bytes/],
    ['a missing tag', { ciphertext: 'AAAA', iv: good.iv, key: KEY }, 'tag', /tag is required/],
    ['a password without salt', { ...good, password: 'p' }, 'salt', /salt is required/],
    ['bad base64 salt', { ...good, password: 'p', salt: '***' }, 'salt', /not valid base64/],
    ['too few iterations', { ...good, password: 'p', salt: 'AAAA', iterations: 999 }, 'iterations', /1000 to 10000000/],
    ['fractional iterations', { ...good, password: 'p', salt: 'AAAA', iterations: 1e3 + 0.5 }, 'iterations', /whole number/],
    ['neither key nor password', { ...good }, 'key', /hex key or a password/],
  ])('decrypt rejects %s', async (_, request, field, message) => {
    const error = await failure(() => decrypt(request as DecryptRequest));
    expect([error.code, error.field]).toEqual(['invalid_input', field]);
    expect(error.message).toMatch(message);
  });
});
