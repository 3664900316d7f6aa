// The hash a server before the HMAC one stored for an account: scrypt (RFC 7914) of its password,
// r=8, p=1, as `scrypt$N$r$p$salt$hash`, made here with Node's crypto, not the server's code.
import { randomBytes, scryptSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../server/db/types';

/** Gives the account with `email` the scrypt hash of `password` at cost `N`; returns that hash. */
export async function giveLegacyHash(db: Db, email: string, password: string, N: number): Promise<string> {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 + 1024 * 1024 });
  const stored = ['scrypt', N, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
  await db.execute(sql`update users set password_hash = ${stored} where email = ${email.toLowerCase()}`);
  return stored;
}
