/**
 * The admin commands, apart from the process around them (main.ts), so tests run them on an open
 * database. `out` gets each line of output; errors are thrown (UsageError: a bad command line).
 */
import type { Db } from '../db/types';
import { deleteAccount, disableAccount, enableAccount, listAccounts } from './accounts';
import { createInvite, setRegistrationMode } from '../auth/registration';
import { REGISTRATION_MODES, type RegistrationMode } from '../config';

export const USAGE = `Usage: npm run admin -- <command>
  accounts [--json]            list accounts: e-mail, created, last seen, status (no secrets)
  disable <e-mail>             stop an account signing in and revoke its sessions
  enable <e-mail>              let a disabled account sign in again
  delete <e-mail> --yes        delete an account, its personal org and everything in it
  registration open|invite|closed
                               who may create an account
  invite                       print a one-time invitation code`;

export class UsageError extends Error {}

const day = (date: Date | null) => (date ? `${date.toISOString().replace('T', ' ').slice(0, 16)}Z` : 'never');

export async function runAdmin(db: Db, args: string[], out: (line: string) => void): Promise<void> {
  const [command, ...rest] = args;
  const email = () => {
    const value = rest.find((a) => !a.startsWith('--'));
    if (!value) throw new UsageError(`${command} needs an e-mail address.`);
    return value;
  };
  switch (command) {
    case 'accounts': {
      const accounts = await listAccounts(db);
      if (rest.includes('--json')) return out(JSON.stringify(accounts));
      if (accounts.length === 0) return out('No accounts.');
      const width = Math.max(6, ...accounts.map((a) => a.email.length));
      out(`${'E-mail'.padEnd(width)}  ${'Created'.padEnd(17)}  ${'Last seen'.padEnd(17)}  Status`);
      for (const a of accounts) {
        out(
          `${a.email.padEnd(width)}  ${day(a.createdAt).padEnd(17)}  ${day(a.lastSeenAt).padEnd(17)}  ${a.disabled ? 'disabled' : 'active'}`,
        );
      }
      return;
    }
    case 'disable': {
      const { revokedSessions } = await disableAccount(db, email());
      return out(`Disabled ${email()}; ${revokedSessions} session(s) revoked.`);
    }
    case 'enable':
      await enableAccount(db, email());
      return out(`Enabled ${email()}.`);
    case 'delete':
      // Nothing brings the data back but a backup: ask for it in words.
      if (!rest.includes('--yes')) throw new UsageError(`delete removes ${email()} and all its data for good: add --yes.`);
      await deleteAccount(db, email());
      return out(`Deleted ${email()} and its data.`);
    case 'registration': {
      const mode = rest[0] as RegistrationMode;
      if (!REGISTRATION_MODES.includes(mode)) throw new UsageError(`registration takes ${REGISTRATION_MODES.join(', ')}.`);
      await setRegistrationMode(db, mode);
      return out(`Registration is now ${mode}.`);
    }
    case 'invite': {
      const invite = await createInvite(db);
      return out(`${invite.code}\n(valid until ${invite.expiresAt.toISOString()})`);
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'Name a command.');
  }
}
