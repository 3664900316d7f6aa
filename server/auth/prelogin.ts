/**
 * KDF parameters for prelogin. For an address without an account (or an account registered
 * without `kdf`) the answer is made up but stable — an HMAC of the address under a secret kept in
 * the database — so prelogin does not reveal whether an account exists, even across restarts.
 *
 * A made-up answer must look like a real one: the extension registers new vaults with Argon2id,
 * 64 MiB, 3 passes, 4 lanes and a 16-byte salt (docs/vault.md, "Key hierarchy"), as exactly
 * `{"name","memoryKiB","passes","parallelism","salt"}` in that order, and a made-up answer has
 * those keys, that order and those value types. Stored `kdf` sits in a jsonb column, which keeps
 * keys in its own order (shortest first), so real answers are put back in the extension's order
 * before they are sent: otherwise the order alone would tell a real answer from a made-up one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { serverSettings } from '../db/schema';
import type { Db } from '../db/types';

const SECRET_KEY = 'prelogin_secret';

/** New vaults' Argon2id parameters (lib/vault/kdf-params.ts, ARGON2_DEFAULTS); made-up answers use them. */
export const MADE_UP_KDF = { name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4 } as const;

/**
 * The order the extension writes kdf keys in: Argon2id `name, memoryKiB, passes, parallelism,
 * salt`; older PBKDF2 vaults `name, iterations, salt`. Keys not listed follow in stored order.
 */
const KDF_KEY_ORDER = ['name', 'iterations', 'memoryKiB', 'passes', 'parallelism', 'salt'];

export async function loadPreloginSecret(db: Db): Promise<Buffer> {
  await db
    .insert(serverSettings)
    .values({ key: SECRET_KEY, value: randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await db.select().from(serverSettings).where(eq(serverSettings.key, SECRET_KEY));
  if (!row) throw new Error('prelogin secret missing after insert');
  return Buffer.from(row.value, 'base64');
}

export function madeUpKdf(secret: Buffer, email: string) {
  const salt = createHmac('sha256', secret).update(`kdf-salt:${email}`).digest().subarray(0, 16);
  return { ...MADE_UP_KDF, salt: salt.toString('base64') };
}

/** A stored kdf with its keys in the extension's order (values untouched). */
export function inClientKeyOrder(kdf: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of KDF_KEY_ORDER) if (Object.hasOwn(kdf, key)) ordered[key] = kdf[key];
  for (const [key, value] of Object.entries(kdf)) if (!Object.hasOwn(ordered, key)) ordered[key] = value;
  return ordered;
}

/**
 * The prelogin answer for an e-mail, given what its one lookup found (no row, or the stored kdf).
 * The made-up answer is computed every time, so a known and an unknown address do the same work.
 */
export function preloginKdf(secret: Buffer, email: string, stored: unknown): Record<string, unknown> {
  const madeUp = madeUpKdf(secret, email);
  const real = stored && typeof stored === 'object' && !Array.isArray(stored) ? inClientKeyOrder(stored as Record<string, unknown>) : null;
  return real ?? madeUp;
}
