/**
 * Whether accounts still hold an earlier server's scrypt hash (password.ts). Checking one costs
 * about half a second of a core, where the HMAC every other account (and the made-up hash for an
 * unknown e-mail) is checked with costs microseconds: that difference would tell anyone timing
 * sign-ins which addresses have an account (user enumeration, OWASP ASVS 5.0 V6.3.8), invite-only
 * and closed servers included. So while any remain, every password check also runs one scrypt, in
 * the CPU budget like theirs, and every sign-in costs the same. Looked up at start and by the hourly
 * housekeeping; once the last such account has signed in again, checks are the HMAC alone.
 */
import { randomBytes } from 'node:crypto';
import { like } from 'drizzle-orm';
import { users } from '../db/schema';
import type { Db } from '../db/types';
import { scryptAsync } from './password';

/** The cost earlier servers used unless told otherwise (their KEYSMITH_SCRYPT_COST's default). */
const LEGACY_COST = 2 ** 17;

export class LegacyHashes {
  /** Until the first look, assume some remain: the slow answer is the safe one. */
  remain = true;

  async refresh(db: Db): Promise<boolean> {
    const [row] = await db.select({ id: users.id }).from(users).where(like(users.passwordHash, 'scrypt$%')).limit(1);
    this.remain = row !== undefined;
    return this.remain;
  }

  /** One scrypt at the legacy cost over nothing in particular: the time an earlier server's hash takes to check. */
  async scryptTime(): Promise<void> {
    await scryptAsync(randomBytes(32), randomBytes(16), LEGACY_COST, 8, 1);
  }
}
