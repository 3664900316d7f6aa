// The password a sync server receives: the vault's auth secret, bound by HKDF to that server's
// origin and the account's e-mail. A hostile server (or one whose database leaks) holds only its
// own binding, which no other server takes and from which the auth secret cannot be worked back
// (HKDF is one-way, RFC 5869 §3.3): it cannot sign in as the user anywhere else (credential
// replay across relying parties, as WebAuthn binds assertions to an origin). Pure.
import { fromHex, toHex, utf8Encode } from '../crypto/encoding';
import { hkdfBits } from '../crypto/kdf';

/** A new label: v1 was the unbound auth secret itself, which accounts made before still log in with once. */
const BOUND_INFO = 'keysmith/v2/server-auth';

/**
 * `authSecret` is the hex auth secret the vault derives (HKDF of the master key, unbound); the
 * answer is what this origin's server stores a salted hash of. Origin and e-mail go in both salt and
 * info, each length-prefixed, so no two (origin, e-mail) pairs give one input.
 */
export async function boundAuthSecret(authSecret: string, origin: string, email: string): Promise<string> {
  const context = `${origin.length}:${origin}|${email.length}:${email}`;
  const bits = await hkdfBits(fromHex(authSecret, 'authSecret'), `${BOUND_INFO}|${context}`, 32, utf8Encode(context));
  return toHex(bits);
}
