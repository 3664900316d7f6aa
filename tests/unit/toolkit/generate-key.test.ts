import { describe, expect, it } from 'vitest';
import { generateKey, isCryptoError, type GenerateKeyRequest } from '../../../lib/toolkit';

async function rejection(request: unknown) {
  try {
    await generateKey(request as GenerateKeyRequest);
  } catch (error) {
    if (isCryptoError(error)) return error;
    throw error;
  }
  throw new Error('expected a CryptoError');
}

describe('generateKey', () => {
  it('makes prefixed api keys of 32 random bytes', async () => {
    const result = await generateKey({ type: 'api-key', prefix: 'sk' });
    expect(result.key).toMatch(/^sk_[0-9a-f]{64}$/);
    expect(result).toMatchObject({ type: 'api-key', entropy_bits: 256 });
  });

  it('makes bare hex api keys without a prefix (absent, null or empty)', async () => {
    for (const prefix of [undefined, null, '']) {
      expect((await generateKey({ type: 'api-key', prefix })).key).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('makes RFC 9562 version 4 UUIDs', async () => {
    const result = await generateKey({ type: 'uuid-v4' });
    expect(result.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.entropy_bits).toBe(122);
  });

  it('makes nanoids of the default and a chosen length', async () => {
    const byDefault = await generateKey({ type: 'nanoid' });
    expect(byDefault.key).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(byDefault.entropy_bits).toBe(126);
    for (const length of [2, 100, 255]) {
      const result = await generateKey({ type: 'nanoid', length });
      expect(result.key).toHaveLength(length);
      expect(result.entropy_bits).toBe(6 * length);
    }
  });

  it('draws nanoid characters uniformly from all 64 symbols', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      for (const ch of (await generateKey({ type: 'nanoid', length: 255 })).key) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    // 10,200 draws over 64 symbols: ~159 each; a 6-sigma band rules out a missing or doubled symbol.
    expect(counts.size).toBe(64);
    for (const count of counts.values()) expect(count).toBeGreaterThan(85);
    for (const count of counts.values()) expect(count).toBeLessThan(235);
  });

  it('makes hex secrets of the default, odd and extreme lengths', async () => {
    expect((await generateKey({ type: 'secret' })).key).toMatch(/^[0-9a-f]{64}$/);
    for (const length of [16, 17, 1024]) {
      const result = await generateKey({ type: 'secret', length });
      expect(result.key).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
      expect(result.entropy_bits).toBe(4 * length);
    }
  });

  it('never repeats a key', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) keys.add((await generateKey({ type: 'secret', length: 16 })).key);
    expect(keys.size).toBe(200);
  });

  it.each([
    [{ type: 'password' }, 'type', /type must be one of api-key, uuid-v4, nanoid, secret/],
    [{}, 'type', /type must be one of/],
    [null, 'request', /JSON object/],
    [{ type: 'api-key', prefix: 'sk-live' }, 'prefix', /1 to 16 letters or digits/],
    [{ type: 'api-key', prefix: 'a'.repeat(17) }, 'prefix', /1 to 16 letters or digits/],
    [{ type: 'api-key', prefix: 7 }, 'prefix', /must be a string/],
    [{ type: 'api-key', length: 32 }, 'length', /applies only to nanoid and secret/],
    [{ type: 'uuid-v4', prefix: 'x' }, 'prefix', /applies only to type api-key/],
    [{ type: 'uuid-v4', length: 36 }, 'length', /applies only to nanoid and secret/],
    [{ type: 'nanoid', length: 1 }, 'length', /from 2 to 255/],
    [{ type: 'nanoid', length: 256 }, 'length', /from 2 to 255/],
    [{ type: 'nanoid', length: 2.5 }, 'length', /whole number/],
    [{ type: 'nanoid', length: '21' }, 'length', /whole number/],
    [{ type: 'secret', length: 15 }, 'length', /from 16 to 1024/],
    [{ type: 'secret', length: 1025 }, 'length', /from 16 to 1024/],
  ])('rejects %j naming the field', async (request, field, message) => {
    const error = await rejection(request);
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});
