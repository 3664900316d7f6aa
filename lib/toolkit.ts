/**
 * The four operations of the Toolkit "Keys & Encryption" API, computed locally with WebCrypto.
 * Pure TypeScript: the popup, the server's /v1/auth/* routes and Node tests all call these.
 * Every bad input throws CryptoError with code 'invalid_input' and the offending `field`;
 * failed authentication of ciphertext throws code 'authentication_failed'.
 */
export { generateKey, KEY_LIMITS } from './toolkit-ops/generate-key';
export { generateKeypair } from './toolkit-ops/generate-keypair';
export { encrypt } from './toolkit-ops/encrypt';
export { decrypt, DECRYPT_ITERATIONS } from './toolkit-ops/decrypt';
export * from './toolkit-ops/types';
export { CryptoError, isCryptoError } from './crypto/errors';
