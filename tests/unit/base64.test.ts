// fromBase64 decodes in one pass of its own: it must accept and refuse exactly what the strict
// definition it replaced did (a regular expression, then `atob`), and give the same bytes.
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../lib/crypto/encoding';

/** The earlier definition, kept here as the reference. */
function reference(text: string): Uint8Array | 'refused' {
  const unpadded = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || unpadded.length % 4 === 1) return 'refused';
  const binary = atob(unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function decoded(text: string): Uint8Array | 'refused' {
  try {
    return fromBase64(text, 'x');
  } catch (error) {
    expect(String(error)).toMatch(/x is not valid base64/);
    return 'refused';
  }
}

// A small pseudo-random generator, so a failing case can be found again from its seed.
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('fromBase64', () => {
  it('decodes what Node encodes, at every length, padded or not', () => {
    const next = random(7);
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      const text = Buffer.from(bytes).toString('base64');
      expect(fromBase64(text, 'x')).toEqual(bytes);
      expect(fromBase64(text.replace(/=+$/, ''), 'x')).toEqual(bytes);
    }
  });

  it('agrees with the regular expression and atob on edge cases', () => {
    const cases = [
      '',
      '=',
      '==',
      '===',
      'A',
      'A=',
      'A==',
      'AA',
      'AA=',
      'AA==',
      'AA===',
      'AAA',
      'AAA=',
      'AAA==',
      'AAAA',
      'AAAA=',
      'AAAA==',
      'AAAAA',
      'AB',
      'AP',
      'A/',
      '//',
      '++++',
      'AB==CD',
      'A=A=',
      ' AAAA',
      'AAAA ',
      'AA\nAA',
      'AA-_',
      'AAé=',
      'AAA\u0100',
      'AA\u{1F600}',
      'AAA\u0000',
      'AA\u007f',
      '=AAA',
      'QUJD',
      'QUI',
      'QQ',
      'QUJDRA==',
      'QUJDRA=',
      'QUJDRA',
    ];
    for (const text of cases) expect([text, decoded(text)]).toEqual([text, reference(text)]);
  });

  it('agrees with the reference on random strings near the alphabet', () => {
    const next = random(42);
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .\n\u00ff\u0100\u{1F600}';
    const chars = [...letters];
    let refused = 0;
    for (let n = 0; n < 5000; n++) {
      const length = Math.floor(next() * 14);
      // Mostly the alphabet, so both accepted and refused strings come up often.
      const text = Array.from({ length }, () => chars[next() < 0.9 ? Math.floor(next() * 64) : Math.floor(next() * chars.length)]).join('');
      const want = reference(text);
      if (want === 'refused') refused++;
      expect([text, decoded(text)]).toEqual([text, want]);
    }
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(4500);
  });
});
