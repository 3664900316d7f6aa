/**
 * Bearer tokens: 256 random bits, handed out once, stored only as their SHA-256, with an
 * expiry and a revocation time (OWASP Session Management Cheat Sheet: entropy ≥ 64 bits,
 * server-side invalidation on logout).
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { memberships, orgs, tokens } from '../db/schema';
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

/** Org id that matches no membership, for lookups without X-Active-Org-Id. */
const NO_ORG = '00000000-0000-0000-0000-000000000000';

// Every authenticated request runs this, so it is prepared once per database.
const resolveQueries = new WeakMap<Db, ReturnType<typeof prepareResolve>>();
function prepareResolve(db: Db) {
  return (
    db
      .select({
        userId: tokens.userId,
        role: memberships.role,
        changeSeq: orgs.changeSeq,
        horizon: orgs.tombstoneHorizon,
      })
      .from(tokens)
      .leftJoin(memberships, and(eq(memberships.userId, tokens.userId), eq(memberships.orgId, sql.placeholder('orgId'))))
      // Only through the membership: a non-member learns nothing of the org's position.
      .leftJoin(orgs, eq(orgs.id, memberships.orgId))
      .where(and(eq(tokens.hash, sql.placeholder('hash')), isNull(tokens.revokedAt), gt(tokens.expiresAt, sql.placeholder('now'))))
      .limit(1)
      .prepare('keysmith_resolve_token')
  );
}

/** Where an org's change sequence stands (see sync/pull.ts). */
export interface OrgPosition {
  changeSeq: number;
  horizon: number;
}

/**
 * The user behind a live token, or null when it is unknown, expired or revoked. Given an org id,
 * the same query also returns the user's role in that org (null: not a member) and, for a member,
 * the org's change position: an idle delta poll, most of the sync traffic, then needs no other
 * statement (one round trip to the database instead of two).
 */
export async function resolveToken(
  db: Db,
  token: string,
  orgId?: string,
): Promise<{ userId: string; role: string | null; position: OrgPosition | null } | null> {
  let query = resolveQueries.get(db);
  if (!query) resolveQueries.set(db, (query = prepareResolve(db)));
  const [row] = await query.execute({ hash: hashToken(token), orgId: orgId ?? NO_ORG, now: new Date().toISOString() });
  if (!row) return null;
  const member = Boolean(orgId) && row.role !== null;
  return {
    userId: row.userId,
    role: member ? row.role : null,
    position: member && row.changeSeq !== null && row.horizon !== null ? { changeSeq: row.changeSeq, horizon: row.horizon } : null,
  };
}
export async function revokeToken(db: Db, token: string): Promise<void> {
  await db
    .update(tokens)
    .set({ revokedAt: new Date() })
    .where(eq(tokens.hash, hashToken(token)));
}

/**
 * Revokes every live token of a user but the one given, and says how many: after a password change
 * other devices must prove the new password, and a session an attacker holds ends with the change
 * (OWASP ASVS 5.0 V7.4.3, 4.0.3 V3.3.3). Expired tokens are already dead and left to housekeeping,
 * so the count is of sessions that were really usable.
 */
export async function revokeOtherTokens(db: Db, userId: string, keep: string): Promise<number> {
  const now = new Date();
  const revoked = await db
    .update(tokens)
    .set({ revokedAt: now })
    .where(and(eq(tokens.userId, userId), ne(tokens.hash, hashToken(keep)), isNull(tokens.revokedAt), gt(tokens.expiresAt, now)))
    .returning({ hash: tokens.hash });
  return revoked.length;
}
