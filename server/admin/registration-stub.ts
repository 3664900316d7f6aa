/**
 * STUB, to be replaced by the server's registration module when it is merged: the admin commands
 * `registration open|invite|closed` and `invite` call these two functions and nothing else.
 *
 * - `setRegistrationMode` stores the mode in server_settings under `registration_mode`; the server
 *   does not read it yet (KEYSMITH_REGISTRATION decides).
 * - `createInvite` has no invite table to write to yet, so it refuses with words.
 */
import { serverSettings } from '../db/schema';
import type { Db } from '../db/types';

export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

export async function setRegistrationMode(db: Db, mode: RegistrationMode): Promise<void> {
  await db
    .insert(serverSettings)
    .values({ key: 'registration_mode', value: mode })
    .onConflictDoUpdate({ target: serverSettings.key, set: { value: mode } });
}

export async function createInvite(_db: Db): Promise<{ code: string; expiresAt: Date }> {
  throw new Error('This server has no invitations yet: it needs KEYSMITH_REGISTRATION=invite support.');
}
