/**
 * KDF parameters for prelogin. For an address without an account (or an account registered
 * without `kdf`) the answer is made up but stable — an HMAC of the address under a secret kept in
 * the database — so prelogin does not reveal whether an account exists, even across restarts.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { serverSettings } from '../db/schema';
import type { Db } from '../db/types';

const SECRET_KEY = 'prelogin_secret';

/** The shape the extension uses (docs/vault.md, "Key hierarchy"); made-up answers mimic it. */
export const DEFAULT_KDF_ITERATIONS = 600_000;

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
  return { algorithm: 'PBKDF2-SHA256', iterations: DEFAULT_KDF_ITERATIONS, salt: salt.toString('base64') };
}
