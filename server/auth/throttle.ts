/**
 * Login throttling (OWASP Authentication Cheat Sheet, "Account lockout"), in the database so it
 * survives restarts and holds across server instances. Two counters, both keyed by HMACs under a
 * server secret (no e-mail or address is stored in the clear); addresses are buckets (an IPv6
 * client's /64, http/client-address.ts):
 *
 * - account + client address ("pair"): after `maxFailures` consecutive failures that pair is locked
 *   for base·2^(extra failures) seconds, capped. Keyed by the pair, so guesses from elsewhere cannot
 *   lock the owner out of their own address. Counted BEFORE the password is checked, under a row
 *   lock, and the attempt that reaches the limit sets the lock: concurrent guesses at one account
 *   cannot get more checks than the limit. A correct password deletes the pair's counter.
 * - client address alone: `maxFailuresPerAddress` failures within `addressWindowSeconds`, over any
 *   e-mails, lock the address, so one client cannot guess across many accounts. Counted only on a
 *   failure: behind a shared address (an office NAT, a proxy) correct sign-ins must never add to
 *   it, or they would lock everyone out together. A correct password takes back the failures of
 *   its own pair (a mistyped password then the right one), and no others: an attacker signing in to
 *   an account of their own cannot wipe the failures of their guesses at other accounts.
 *
 * The address count may overshoot its limit by the sign-ins checked at the same moment, which the
 * server-wide CPU budget bounds (cpu-budget.ts).
 */
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { CpuBudget } from '../cpu-budget';
import { loginThrottle } from '../db/schema';
import type { Db } from '../db/types';
import { tooManyRequests } from '../errors';
import { isSlowHash, verifyPassword } from './password';
import type { LegacyHashes } from './legacy-hashes';

export interface ThrottleKeys {
  pair: string;
  address: string;
}

export function throttleKeys(secret: Buffer, email: string, address: string): ThrottleKeys {
  const mac = (label: string) => createHmac('sha256', secret).update(label).digest('base64url');
  return { pair: mac(`login:pair:${email}\n${address}`), address: mac(`login:address:${address}`) };
}

/**
 * Throws 429 (nothing counted) while the pair or the address is locked; otherwise counts this
 * attempt against the pair and returns: the password may be checked.
 */
export async function countAttempt(db: Db, keys: ThrottleKeys, login: Config['login']): Promise<void> {
  const now = Date.now();
  const lockedFor = await db.transaction(async (tx) => {
    const pair = await lockedRow(tx, keys.pair);
    const [address] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, keys.address));
    const waitMs = Math.max(0, ...[pair, address].map((r) => (r?.lockedUntil ? r.lockedUntil.getTime() - now : 0)));
    if (waitMs > 0) return waitMs;
    const failures = pair.failures + 1;
    await tx
      .update(loginThrottle)
      .set({ failures, updatedAt: sql`now()`, lockedUntil: lockAfter(failures, login.maxFailures, login, now) })
      .where(eq(loginThrottle.key, keys.pair));
    return 0;
  });
  if (lockedFor > 0) throw tooManyRequests(lockedFor / 1000, 'Too many failed sign-in attempts. Wait before trying again.');
}

/**
 * Checks a password, giving the counted attempt back if the check never ran. An earlier server's
 * scrypt hash is checked within the CPU budget (password.ts); while any remain, every other check
 * takes one scrypt's time too, so the time tells nothing (legacy-hashes.ts).
 */
export async function checkPassword(
  db: Db,
  keys: ThrottleKeys,
  work: { cpu: CpuBudget; legacyHashes: LegacyHashes },
  password: string,
  stored: string,
): Promise<boolean> {
  try {
    if (isSlowHash(stored)) return await work.cpu.run('sign-in', () => verifyPassword(password, stored));
    if (work.legacyHashes.remain) await work.cpu.run('sign-in', () => work.legacyHashes.scryptTime());
    return await verifyPassword(password, stored);
  } catch (error) {
    await uncountAttempt(db, keys);
    throw error;
  }
}

/**
 * An attempt counted on the pair whose password was never checked (the server was too busy: 503)
 * is taken back, so an overloaded server cannot lock owners out of their accounts.
 */
export async function uncountAttempt(db: Db, keys: ThrottleKeys): Promise<void> {
  await db
    .update(loginThrottle)
    .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
    .where(eq(loginThrottle.key, keys.pair));
}

/** A wrong password: the address counts one more failure (the pair already counted it). */
export async function countFailure(db: Db, keys: ThrottleKeys, login: Config['login']): Promise<void> {
  const now = Date.now();
  await db.transaction(async (tx) => {
    const address = await lockedRow(tx, keys.address);
    const stale = now - address.updatedAt.getTime() > login.addressWindowSeconds * 1000;
    const failures = (stale ? 0 : address.failures) + 1;
    await tx
      .update(loginThrottle)
      .set({ failures, updatedAt: sql`now()`, lockedUntil: lockAfter(failures, login.maxFailuresPerAddress, login, now) })
      .where(eq(loginThrottle.key, keys.address));
  });
}

/**
 * The throttle row of `key`, made if missing and locked for this transaction, in one statement: an
 * insert that does nothing and a select after it could find the row gone in between (a correct
 * password deletes the pair's row), which failed the request with a 500 on PostgreSQL.
 */
async function lockedRow(tx: Parameters<Parameters<Db['transaction']>[0]>[0], key: string) {
  const [row] = await tx
    .insert(loginThrottle)
    .values({ key, failures: 0 })
    .onConflictDoUpdate({ target: loginThrottle.key, set: { key: sql`excluded.key` } })
    .returning();
  return row!;
}

/** The lock this many failures earn: none below the limit, then doubling from the base, capped. */
function lockAfter(failures: number, limit: number, login: Config['login'], now: number): Date | null {
  if (failures < limit) return null;
  const seconds = Math.min(login.lockBaseSeconds * 2 ** Math.min(failures - limit, 30), login.lockMaxSeconds);
  return new Date(now + seconds * 1000);
}

/**
 * A correct password: the pair starts again from zero, and the address gives back the failures
 * this pair had counted (this attempt itself was counted only on the pair).
 */
export async function countSuccess(db: Db, keys: ThrottleKeys, login: Config['login']): Promise<void> {
  await db.transaction(async (tx) => {
    const [pair] = await tx.delete(loginThrottle).where(eq(loginThrottle.key, keys.pair)).returning({ failures: loginThrottle.failures });
    const explained = Math.max(0, (pair?.failures ?? 1) - 1);
    if (explained === 0) return;
    await tx
      .update(loginThrottle)
      .set({
        failures: sql`greatest(${loginThrottle.failures} - ${explained}, 0)`,
        lockedUntil: sql`case when ${loginThrottle.failures} - ${explained} < ${login.maxFailuresPerAddress} then null else ${loginThrottle.lockedUntil} end`,
      })
      .where(eq(loginThrottle.key, keys.address));
  });
}
