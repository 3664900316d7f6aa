/**
 * What the operator can do to accounts from the command line (server/admin/main.ts): list them,
 * disable and enable one, delete one. Nothing here reads or prints a secret: the list has the
 * e-mail, dates and status, never the password hash, the KDF settings or the wrapped keys.
 */
import { and, asc, eq, notExists, sql } from 'drizzle-orm';
import { memberships, orgs, tokens, users } from '../db/schema';
import type { Db } from '../db/types';

export interface AccountRow {
  email: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  disabled: boolean;
}

export async function listAccounts(db: Db): Promise<AccountRow[]> {
  const rows = await db
    .select({ email: users.email, createdAt: users.createdAt, lastSeenAt: users.lastSeenAt, disabledAt: users.disabledAt })
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.email));
  return rows.map(({ disabledAt, ...row }) => ({ ...row, disabled: disabledAt !== null }));
}

export class NoSuchAccount extends Error {
  constructor(email: string) {
    super(`No account has the e-mail address ${email}.`);
  }
}

/** E-mails are stored lower-cased and trimmed (routes/auth.ts); the operator may type them otherwise. */
const normalise = (email: string) => email.trim().toLowerCase();

/**
 * Stops an account: it can no longer sign in (403 after a correct password), and every token it
 * holds is revoked at once, so devices signed in lose access on their next request.
 */
export async function disableAccount(db: Db, email: string): Promise<{ revokedSessions: number }> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ disabledAt: sql`coalesce(${users.disabledAt}, now())` })
      .where(eq(users.email, normalise(email)))
      .returning({ id: users.id });
    if (!user) throw new NoSuchAccount(email);
    const revoked = await tx
      .update(tokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(tokens.userId, user.id), sql`${tokens.revokedAt} is null`))
      .returning({ hash: tokens.hash });
    return { revokedSessions: revoked.length };
  });
}

export async function enableAccount(db: Db, email: string): Promise<void> {
  const [user] = await db
    .update(users)
    .set({ disabledAt: null })
    .where(eq(users.email, normalise(email)))
    .returning({ id: users.id });
  if (!user) throw new NoSuchAccount(email);
}

/**
 * Deletes an account and what only it could read: its personal org (safes, items, tombstones go
 * with it, by cascade), its tokens and memberships, and any org left without a member.
 */
export async function deleteAccount(db: Db, email: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .delete(users)
      .where(eq(users.email, normalise(email)))
      .returning({ personalOrgId: users.personalOrgId });
    if (!user) throw new NoSuchAccount(email);
    await tx.delete(orgs).where(eq(orgs.id, user.personalOrgId));
    await tx.delete(orgs).where(notExists(tx.select({ one: sql`1` }).from(memberships).where(eq(memberships.orgId, orgs.id))));
  });
}
