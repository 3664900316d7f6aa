/**
 * KDF parameters a client may store for its account, held to the extension's own floors and caps
 * (lib/vault/kdf-params.ts: OWASP Password Storage Cheat Sheet minimums for Argon2id and
 * PBKDF2-HMAC-SHA256), in the wire shape the extension sends (lib/sync/account-link.ts, kdfToWire).
 * Other devices refuse prelogin parameters outside these bounds before deriving anything, so an
 * account storing them could no longer be signed in to from a new device: they are refused here,
 * before anything is stored. Unknown keys are dropped, so prelogin hands back only these fields.
 */
import { z } from 'zod';
import { ARGON2_LIMITS, KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS } from '../../lib/vault/kdf-params';

const whole = (limits: { min: number; max: number }) => z.number().int().min(limits.min).max(limits.max);

/**
 * Standard base64 of 16 to 64 bytes (the extension makes 16): whole 4-character groups, so 24 to 88
 * characters, which JSON Schema can state.
 */
const salt = z
  .string()
  .min(24, 'The salt must be at least 16 bytes.')
  .max(88, 'The salt must be at most 64 bytes.')
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'Send the salt as base64.');

export const KdfParams = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('Argon2id'),
    memoryKiB: whole(ARGON2_LIMITS.memoryKiB),
    passes: whole(ARGON2_LIMITS.passes),
    parallelism: whole(ARGON2_LIMITS.parallelism),
    salt,
  }),
  z.object({
    name: z.literal('PBKDF2-HMAC-SHA256'),
    iterations: whole({ min: KDF_MIN_ITERATIONS, max: KDF_MAX_ITERATIONS }),
    salt,
  }),
]);
