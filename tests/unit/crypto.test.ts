import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toHex } from '../../lib/crypto/encoding';
import { randomString } from '../../lib/crypto/random';

describe('encodings', () => {
  it('round-trip every byte value, as Node encodes them', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromHex(toHex(bytes))).toEqual(bytes);
    expect(fromBase64(toBase64(bytes), 'x')).toEqual(bytes);
  });

  it('accept base64 without padding and reject other alphabets', () => {
    expect(fromBase64('AAE', 'x')).toEqual(new Uint8Array([0, 1]));
    expect(() => fromBase64('AA-_', 'iv')).toThrow(/iv is not valid base64/);
    expect(() => fromBase64('A', 'iv')).toThrow(/not valid base64/);
    expect(() => fromHex('abc')).toThrow(/hexadecimal/);
  });
});

describe('randomString', () => {
  it('uses every symbol of an alphabet whose size is not a power of two, evenly', () => {
    const alphabet = 'abcdefghij'; // 10 symbols: a plain byte % 10 would favour a–f
    const counts = new Map<string, number>();
    for (const ch of randomString(alphabet, 50_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe(alphabet);
    // Expected 5,000 each, sd ≈ 67: bias from % 10 would put a–f near 5,100 and g–j near 4,850.
    for (const count of counts.values()) expect(Math.abs(count - 5000)).toBeLessThan(400);
  });
});
