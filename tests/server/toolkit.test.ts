/** The Toolkit routes over HTTP, cross-checked with Node's own crypto. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDecipheriv, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { loadSettings } from '../../server/config';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import type { Account } from './helpers/api';

describe.each(backends)('Toolkit routes (%s)', (backend) => {
  let s: Running;
  let a: Account;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ toolkit: true }));
    a = await s.api.signup('toolkit');
  });
  afterAll(async () => s?.stop());

  const get = (query: string) => s.api.get(`/v1/auth/generate-key?${query}`, { token: a.token });
  const post = (path: string, body: unknown) => s.api.post(`/v1/auth/${path}`, { token: a.token, body });

  it('needs a bearer token on every route', async () => {
    const replies = await Promise.all([
      s.api.get('/v1/auth/generate-key?type=uuid-v4'),
      s.api.post('/v1/auth/generate-keypair', { body: { algorithm: 'EC', curve: 'P-256' } }),
      s.api.post('/v1/auth/encrypt', { body: { plaintext: 'x', key: '00'.repeat(32) } }),
      s.api.post('/v1/auth/decrypt', { body: { ciphertext: 'x', iv: 'x', tag: 'x', key: '00'.repeat(32) } }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });

  it('generates each key type', async () => {
    const api = await get('type=api-key&prefix=tk');
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ key: expect.stringMatching(/^tk_[0-9a-f]{64}$/), type: 'api-key', entropy_bits: 256 });
    expect((await get('type=uuid-v4')).body.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await get('type=nanoid&length=21')).body.key).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect((await get('type=secret&length=64')).body.key).toMatch(/^[0-9a-f]{64}$/);
    // Empty parameters count as absent.
    expect((await get('type=nanoid&length=&prefix=')).status).toBe(200);
  });

  it('rejects bad generate-key input with 400', async () => {
    for (const q of ['', 'type=bogus', 'type=nanoid&length=abc', 'type=nanoid&length=-1']) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error).toEqual({ code: 'invalid_input', message: expect.any(String) });
    }
  });

  it('generates an EC key pair that Node can load', async () => {
    const res = await post('generate-keypair', { algorithm: 'EC', curve: 'P-256' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ algorithm: 'EC', curve: 'P-256', key_size: null });
    expect(createPublicKey(res.body.public_key).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(createPrivateKey(res.body.private_key).asymmetricKeyType).toBe('ec');
    expect((await post('generate-keypair', { algorithm: 'DSA' })).status).toBe(400);
    expect((await post('generate-keypair', [])).status).toBe(400);
  });

  it("encrypts with a hex key so that Node's createDecipheriv decrypts it", async () => {
    const key = randomBytes(32);
    const plaintext = 'Sensitive user data — SSN, card number, etc.';
    const res = await post('encrypt', { plaintext, key: key.toString('hex') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ algorithm: 'AES-256-GCM', salt: null });
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(res.body.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(res.body.tag, 'base64'));
    const clear = Buffer.concat([decipher.update(Buffer.from(res.body.ciphertext, 'base64')), decipher.final()]);
    expect(clear.toString('utf8')).toBe(plaintext);

    const back = await post('decrypt', { ...res.body, key: key.toString('hex') });
    expect(back.body).toEqual({ plaintext, algorithm: 'AES-256-GCM' });
  });

  it('round-trips with a password and refuses tampered ciphertext with 400', async () => {
    const enc = await post('encrypt', { plaintext: 'another secret', password: 'a-strong-master-password' });
    expect(enc.status).toBe(200);
    expect(enc.body.salt).toEqual(expect.any(String));
    const dec = await post('decrypt', { ...enc.body, password: 'a-strong-master-password' });
    expect(dec.body.plaintext).toBe('another secret');

    const wrong = await post('decrypt', { ...enc.body, password: 'not-the-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('authentication_failed');
    const tag = Buffer.from(enc.body.tag, 'base64');
    tag[0]! ^= 1;
    const tampered = await post('decrypt', { ...enc.body, tag: tag.toString('base64'), password: 'a-strong-master-password' });
    expect(tampered.status).toBe(400);
  });

  it('rejects bad encrypt input with 400 naming the problem', async () => {
    const short = await post('encrypt', { plaintext: 'x', key: 'abcd' });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('invalid_input');
    expect((await post('encrypt', { key: '00'.repeat(32) })).status).toBe(400);
    expect((await post('encrypt', { plaintext: 'x' })).status).toBe(400);
  });
});

describe.each(backends)('Toolkit switch (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend); // the default: KEYSMITH_TOOLKIT unset
  });
  afterAll(async () => s?.stop());

  it('has no Toolkit routes unless the operator turns them on', async () => {
    const a = await s.api.signup('no-toolkit');
    const replies = await Promise.all([
      s.api.get('/v1/auth/generate-key?type=uuid-v4', { token: a.token }),
      s.api.post('/v1/auth/generate-keypair', { token: a.token, body: { algorithm: 'EC', curve: 'P-256' } }),
      s.api.post('/v1/auth/encrypt', { token: a.token, body: { plaintext: 'x', password: 'p', iterations: 2_000_000 } }),
      s.api.post('/v1/auth/decrypt', { token: a.token, body: { ciphertext: 'x', iv: 'x', tag: 'x', key: '00'.repeat(32) } }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    const paths = Object.keys((await s.api.get('/openapi.json')).body.paths);
    expect(paths.filter((p) => p.startsWith('/v1/'))).toEqual([]);
  });

  it('reads KEYSMITH_TOOLKIT as on or off, and refuses anything else', () => {
    expect(loadSettings({}).config.toolkit).toBe(false);
    expect(loadSettings({ KEYSMITH_TOOLKIT: 'on' }).config.toolkit).toBe(true);
    expect(loadSettings({ KEYSMITH_TOOLKIT: 'off' }).config.toolkit).toBe(false);
    expect(() => loadSettings({ KEYSMITH_TOOLKIT: 'yes please' })).toThrow('KEYSMITH_TOOLKIT must be on or off, got "yes please"');
  });
});
