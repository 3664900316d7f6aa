/**
 * Who may register: `open` (anyone), `invite` (with a one-use code an operator printed) or `closed`.
 * The mode starts as KEYSMITH_REGISTRATION and an operator can change it while the server runs
 * (`setRegistrationMode`, kept in the database so every process sees it at the next request).
 *
 * Open registration tells whether an e-mail has an account (409 for a taken one); `invite` and
 * `closed` answer a request without a valid invite before any look at the e-mail, so the answer
 * and its timing are the same for a taken and a free address (account enumeration, OWASP
 * Authentication Cheat Sheet, "Authentication and Error Messages").
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { type RegistrationMode, REGISTRATION_MODES } from '../config';
import { invites, serverSettings } from '../db/schema';
import type { Db } from '../db/types';

const MODE_KEY = 'registration_mode';
/** How long a printed invite stays usable. */
export const INVITE_TTL_SECONDS = 7 * 24 * 3600;

const hashInvite = (code: string) => createHash('sha256').update(code).digest('hex');

/** The mode an operator set, or the configured one. */
export async function registrationMode(db: Db, configured: RegistrationMode): Promise<RegistrationMode> {
  const [row] = await db.select({ value: serverSettings.value }).from(serverSettings).where(eq(serverSettings.key, MODE_KEY));
  const stored = row?.value as RegistrationMode | undefined;
  return stored && REGISTRATION_MODES.includes(stored) ? stored : configured;
}

/** For the operator's tools: sets the mode for every process on this database. */
export async function setRegistrationMode(db: Db, mode: RegistrationMode): Promise<void> {
  if (!REGISTRATION_MODES.includes(mode)) throw new Error(`Registration mode must be open, invite or closed, got "${mode}"`);
  await db
    .insert(serverSettings)
    .values({ key: MODE_KEY, value: mode })
    .onConflictDoUpdate({ target: serverSettings.key, set: { value: mode } });
}

/**
 * For the operator's tools: a new one-use invite code (128 random bits, base64url), to hand to one
 * person. Only its hash is stored.
 */
export async function createInvite(db: Db, ttlSeconds = INVITE_TTL_SECONDS): Promise<{ code: string; expiresAt: Date }> {
  const code = randomBytes(16).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await db.insert(invites).values({ hash: hashInvite(code), expiresAt });
  return { code, expiresAt };
}

/**
 * Uses up an invite: the invite when it existed and had not expired, else null. It stays used once
 * the attempt answers about the e-mail (created, or taken: 409), so one invite answers at most one
 * question about a taken e-mail.
 */
export async function consumeInvite(db: Db, code: string): Promise<UsedInvite | null> {
  const [used] = await db
    .delete(invites)
    .where(and(eq(invites.hash, hashInvite(code)), gt(invites.expiresAt, new Date())))
    .returning({ hash: invites.hash, expiresAt: invites.expiresAt });
  return used ?? null;
}

export interface UsedInvite {
  hash: string;
  expiresAt: Date;
}

/** Puts back an invite whose attempt ended before any answer about the e-mail (server busy, failure). */
export async function restoreInvite(db: Db, invite: UsedInvite): Promise<void> {
  await db.insert(invites).values(invite).onConflictDoNothing();
}
