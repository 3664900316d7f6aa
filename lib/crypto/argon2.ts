import { argon2id } from 'hash-wasm';
import { utf8Encode } from './encoding';

export interface Argon2idParams {
  /** Memory in KiB (RFC 9106 "m"). */
  memoryKiB: number;
  /** Passes over memory (RFC 9106 "t"). */
  passes: number;
  /** Lanes (RFC 9106 "p"); computed one after another in WebAssembly, but part of the result. */
  parallelism: number;
}

/**
 * Argon2id (RFC 9106) with a 32-byte output. hash-wasm runs it in WebAssembly, which the
 * extension's CSP allows through 'wasm-unsafe-eval' alone (no 'unsafe-eval').
 */
export async function argon2idBits(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  params: Argon2idParams,
): Promise<Uint8Array<ArrayBuffer>> {
  const passwordBytes = utf8Encode(password);
  try {
    const out = await argon2id({
      password: passwordBytes,
      salt,
      memorySize: params.memoryKiB,
      iterations: params.passes,
      parallelism: params.parallelism,
      hashLength: 32,
      outputType: 'binary',
    });
    return new Uint8Array(out);
  } finally {
    passwordBytes.fill(0);
  }
}
