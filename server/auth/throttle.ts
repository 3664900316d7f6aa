/**
 * Login throttling per e-mail address, counted in the database so it survives restarts and holds
 * across server instances. After `maxFailures` consecutive failures the address is locked for
 * base·2^(extra failures) seconds, capped (OWASP Authentication Cheat Sheet, "Account lockout").
 * Unknown addresses are counted too, so a lockout does not reveal whether an account exists.
 */
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config';
import { loginAttempts } from '../db/schema';
import type { Db } from '../db/types';
import { tooManyRequests } from '../errors';

/** Throws 429 with Retry-After while the address is locked. */
export async function assertNotLocked(db: Db, email: string): Promise<void> {
  const [row] = await db
    .select({ lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(eq(loginAttempts.email, email));
  const remainingMs = row?.lockedUntil ? row.lockedUntil.getTime() - Date.now() : 0;
  if (remainingMs > 0) {
    throw tooManyRequests(remainingMs / 1000, 'Too many failed sign-in attempts. Wait before trying again.');
  }
}

/** Counts one failure; returns the lock length in seconds if this failure locks the address. */
export async function recordFailure(db: Db, email: string, login: Config['login']): Promise<number | null> {
  const [row] = await db
    .insert(loginAttempts)
    .values({ email, failures: 1 })
    .onConflictDoUpdate({
      target: loginAttempts.email,
      set: { failures: sql`${loginAttempts.failures} + 1`, updatedAt: sql`now()` },
    })
    .returning({ failures: loginAttempts.failures });
  const failures = row?.failures ?? 1;
  if (failures < login.maxFailures) return null;
  const exponent = Math.min(failures - login.maxFailures, 30);
  const seconds = Math.min(login.lockBaseSeconds * 2 ** exponent, login.lockMaxSeconds);
  await db
    .update(loginAttempts)
    .set({ lockedUntil: new Date(Date.now() + seconds * 1000) })
    .where(eq(loginAttempts.email, email));
  return seconds;
}

export async function resetFailures(db: Db, email: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.email, email));
}
