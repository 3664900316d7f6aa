/**
 * Login throttling (OWASP Authentication Cheat Sheet, "Account lockout"), in the database so it
 * survives restarts and holds across server instances. Two counters per attempt:
 *
 * - account + client address: after `maxFailures` consecutive failures that pair is locked for
 *   base·2^(extra failures) seconds, capped. Keyed by the pair, so guesses from elsewhere cannot
 *   lock the owner out of their own address.
 * - client address alone: `maxFailuresPerAddress` failures within `addressWindowSeconds`, over any
 *   e-mails, lock the address, so one client cannot guess across many accounts.
 *
 * An attempt is counted BEFORE the password is checked, under a row lock, and the lock is set by
 * the attempt that reaches the limit: concurrent guesses cannot get more checks than the limit.
 * A successful login clears the pair's counter (not the address's, or a valid account would reset
 * it). Keys are HMACs under a server secret: no e-mail or address is stored in the clear.
 */
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config';
import { loginThrottle } from '../db/schema';
import type { Db } from '../db/types';
import { tooManyRequests } from '../errors';

export interface ThrottleKeys {
  pair: string;
  address: string;
}

export function throttleKeys(secret: Buffer, email: string, address: string): ThrottleKeys {
  const mac = (label: string) => createHmac('sha256', secret).update(label).digest('base64url');
  return { pair: mac(`login:pair:${email}\n${address}`), address: mac(`login:address:${address}`) };
}

/**
 * Counts this attempt against both keys; throws 429 (nothing counted) while either is locked.
 * Returns normally only when the password may be checked.
 */
export async function countAttempt(db: Db, keys: ThrottleKeys, login: Config['login']): Promise<void> {
  const now = Date.now();
  const lockedFor = await db.transaction(async (tx) => {
    const rows = [];
    for (const key of [keys.pair, keys.address]) {
      await tx.insert(loginThrottle).values({ key, failures: 0 }).onConflictDoNothing();
      const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).for('update');
      rows.push(row!);
    }
    const waitMs = Math.max(0, ...rows.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now : 0)));
    if (waitMs > 0) return waitMs;
    const [pair, address] = rows as [typeof loginThrottle.$inferSelect, typeof loginThrottle.$inferSelect];
    const pairFailures = pair.failures + 1;
    const addressStale = now - address.updatedAt.getTime() > login.addressWindowSeconds * 1000;
    const addressFailures = (addressStale ? 0 : address.failures) + 1;
    await tx
      .update(loginThrottle)
      .set({ failures: pairFailures, updatedAt: sql`now()`, lockedUntil: lockAfter(pairFailures, login.maxFailures, login, now) })
      .where(eq(loginThrottle.key, keys.pair));
    await tx
      .update(loginThrottle)
      .set({
        failures: addressFailures,
        updatedAt: sql`now()`,
        lockedUntil: lockAfter(addressFailures, login.maxFailuresPerAddress, login, now),
      })
      .where(eq(loginThrottle.key, keys.address));
    return 0;
  });
  if (lockedFor > 0) throw tooManyRequests(lockedFor / 1000, 'Too many failed sign-in attempts. Wait before trying again.');
}

/** The lock this many failures earn: none below the limit, then doubling from the base, capped. */
function lockAfter(failures: number, limit: number, login: Config['login'], now: number): Date | null {
  if (failures < limit) return null;
  const seconds = Math.min(login.lockBaseSeconds * 2 ** Math.min(failures - limit, 30), login.lockMaxSeconds);
  return new Date(now + seconds * 1000);
}

/** A correct password: the pair starts again from zero, and the address gets its count back. */
export async function countSuccess(db: Db, keys: ThrottleKeys, login: Config['login']): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, keys.pair));
  await db
    .update(loginThrottle)
    .set({
      failures: sql`greatest(${loginThrottle.failures} - 1, 0)`,
      lockedUntil: sql`case when ${loginThrottle.failures} - 1 < ${login.maxFailuresPerAddress} then null else ${loginThrottle.lockedUntil} end`,
    })
    .where(eq(loginThrottle.key, keys.address));
}
