/** Cryptographically secure random bytes (WebCrypto CSPRNG). */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
}

/**
 * `length` characters drawn uniformly from `alphabet`, by rejection sampling so that no character
 * is more likely than another (a plain `byte % n` is biased whenever n does not divide 256).
 */
export function randomString(alphabet: string, length: number): string {
  const n = alphabet.length;
  if (n < 2 || n > 256) throw new RangeError('alphabet must have 2 to 256 characters');
  const mask = (1 << Math.ceil(Math.log2(n))) - 1;
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      const index = byte & mask;
      if (index < n) out += alphabet[index];
      if (out.length === length) break;
    }
  }
  return out;
}
