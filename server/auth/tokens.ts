/**
 * Bearer tokens: 256 random bits, handed out once, stored only as their SHA-256, with an
 * expiry and a revocation time (OWASP Session Management Cheat Sheet: entropy ≥ 64 bits,
 * server-side invalidation on logout).
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { tokens } from '../db/schema';
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

/** The user id behind a live token, or null when it is unknown, expired or revoked. */
export async function resolveToken(db: Db, token: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: tokens.userId })
    .from(tokens)
    .where(and(eq(tokens.hash, hashToken(token)), isNull(tokens.revokedAt), gt(tokens.expiresAt, new Date())))
    .limit(1);
  return row?.userId ?? null;
}

export async function revokeToken(db: Db, token: string): Promise<void> {
  await db.update(tokens).set({ revokedAt: new Date() }).where(eq(tokens.hash, hashToken(token)));
}
