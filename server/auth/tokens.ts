/**
 * Bearer tokens: 256 random bits, handed out once, stored only as their SHA-256, with an
 * expiry and a revocation time (OWASP Session Management Cheat Sheet: entropy ≥ 64 bits,
 * server-side invalidation on logout).
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { memberships, tokens } from '../db/schema';
import type { Db } from '../db/types';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueToken(db: Db, userId: string, ttlSeconds: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insert(tokens).values({
    hash: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return token;
}

/**
 * The user behind a live token, or null when it is unknown, expired or revoked. Given an org id,
 * the same query also returns the user's role in that org (null: not a member), saving org-scoped
 * routes a second round trip.
 */
export async function resolveToken(
  db: Db,
  token: string,
  orgId?: string,
): Promise<{ userId: string; role: string | null } | null> {
  const live = and(eq(tokens.hash, hashToken(token)), isNull(tokens.revokedAt), gt(tokens.expiresAt, new Date()));
  if (!orgId) {
    const [row] = await db.select({ userId: tokens.userId }).from(tokens).where(live).limit(1);
    return row ? { userId: row.userId, role: null } : null;
  }
  const [row] = await db
    .select({ userId: tokens.userId, role: memberships.role })
    .from(tokens)
    .leftJoin(memberships, and(eq(memberships.userId, tokens.userId), eq(memberships.orgId, orgId)))
    .where(live)
    .limit(1);
  return row ?? null;
}

export async function revokeToken(db: Db, token: string): Promise<void> {
  await db.update(tokens).set({ revokedAt: new Date() }).where(eq(tokens.hash, hashToken(token)));
}
