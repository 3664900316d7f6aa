import { toHex } from '../crypto/encoding';
import { invalidInput } from '../crypto/errors';
import { randomBytes, randomString } from '../crypto/random';
import { KEY_TYPES, type GenerateKeyRequest, type GenerateKeyResponse } from './types';
import { oneOf, optionalInteger, optionalString, rejectPresent, requireObject } from './validate';

const NANOID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const PREFIX_RE = /^[A-Za-z0-9]{1,16}$/;

export const KEY_LIMITS = {
  nanoid: { min: 2, max: 255, default: 21 },
  secret: { min: 16, max: 1024, default: 64 },
} as const;

/** Toolkit `generate-key`: an API key, UUID v4, nanoid or hex secret from the CSPRNG. */
export async function generateKey(request: GenerateKeyRequest): Promise<GenerateKeyResponse> {
  const fields = requireObject(request);
  const type = oneOf(fields.type, 'type', KEY_TYPES);
  if (type !== 'api-key') rejectPresent(fields.prefix, 'prefix', 'errPrefixOnlyApiKey');

  switch (type) {
    case 'api-key': {
      rejectPresent(fields.length, 'length', 'errLengthApiKey');
      const prefix = optionalString(fields.prefix, 'prefix') ?? '';
      if (prefix !== '' && !PREFIX_RE.test(prefix)) {
        throw invalidInput('prefix', 'errPrefix');
      }
      const body = toHex(randomBytes(32));
      return { key: prefix ? `${prefix}_${body}` : body, type, entropy_bits: 256 };
    }
    case 'uuid-v4':
      rejectPresent(fields.length, 'length', 'errLengthUuid');
      // RFC 9562 §5.4: 122 random bits, version nibble 4, variant bits 10.
      return { key: crypto.randomUUID(), type, entropy_bits: 122 };
    case 'nanoid': {
      const { min, max } = KEY_LIMITS.nanoid;
      const length = optionalInteger(fields.length, 'length', min, max) ?? KEY_LIMITS.nanoid.default;
      return { key: randomString(NANOID_ALPHABET, length), type, entropy_bits: 6 * length };
    }
    case 'secret': {
      const { min, max } = KEY_LIMITS.secret;
      const length = optionalInteger(fields.length, 'length', min, max) ?? KEY_LIMITS.secret.default;
      return { key: toHex(randomBytes(Math.ceil(length / 2))).slice(0, length), type, entropy_bits: 4 * length };
    }
  }
}
