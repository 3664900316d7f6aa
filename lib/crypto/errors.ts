import { english, msg, type MessageKey, type Text } from '../i18n';

/**
 * Typed errors for everything in lib/crypto and lib/toolkit.ts.
 * `field` names the request field a user should fix, so a form can show the message beside it.
 */
export type CryptoErrorCode =
  /** The request is malformed: wrong type, out of range, bad encoding. Fix the named field. */
  | 'invalid_input'
  /** AES-GCM rejected the tag: wrong key or password, or the data was altered. */
  | 'authentication_failed'
  /** The platform could not do what was asked (for example a curve WebCrypto lacks). */
  | 'unsupported';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(
    readonly code: CryptoErrorCode,
    readonly text: Text,
    readonly field?: string,
  ) {
    super(english(text));
  }
}

export function invalidInput(field: string, key: MessageKey, ...params: (string | number)[]): CryptoError {
  return new CryptoError('invalid_input', msg(key, ...params), field);
}

export function isCryptoError(error: unknown): error is CryptoError {
  return error instanceof CryptoError;
}
