// Which key-derivation parameters a device takes from a sync server. The login proof (the auth
// secret) is derived with them, so a server that picks them picks how cheaply it can guess the
// master password offline from what the device sends: weak parameters, or a salt it shares
// between users (one precomputation for every account, Oechslin's time-memory trade-off), are
// refused before anything is derived. Pure: no storage, no network.
import { msg } from '../i18n';
import { DEFAULT_KDF, type KdfChoice, type KdfParams } from '../vault/kdf-params';
import { VaultError } from '../vault/errors';

/** The weakest Argon2id a new device accepts from a server: the defaults new vaults are made with. */
export type KdfFloor = { memoryKiB: number; passes: number };
export const NEW_DEVICE_FLOOR: KdfFloor = { memoryKiB: 65_536, passes: 3 };

/**
 * The most a server may make a device spend on one derivation (4× the default memory, under 3×
 * its passes): beyond this a server could freeze or exhaust the browser at every sign-in (a
 * denial of service through the KDF's own cost), and no vault Keysmith makes asks for more.
 */
export const SERVER_KDF_CAPS = { memoryKiB: 262_144, passes: 8, parallelism: 8, iterations: 2_000_000 } as const;

/** A random 16-byte salt has on average 15.5 distinct bytes; fewer than 8 means it was not drawn at random. */
const MIN_DISTINCT_SALT_BYTES = 8;

/** A new device (nothing pinned yet): Argon2id at the defaults or more, within the caps, with a random-looking salt. */
export function checkNewDeviceKdf(kdf: KdfParams, floor: KdfFloor = NEW_DEVICE_FLOOR): void {
  checkSalt(kdf.salt);
  checkCaps(kdf);
  if (kdf.name !== 'Argon2id' || kdf.memoryKiB < floor.memoryKiB || kdf.passes < floor.passes) {
    throw new VaultError('kdf_below_floor', msg('errKdfServerBelowDefault'), { field: 'kdf' });
  }
}

/**
 * A device that holds the account's parameters (its own vault's, pinned when it joined or last
 * changed them): the server's must have the same salt and be at least as strong. A change made by
 * another device of the account keeps the salt (changeMasterPassword with `keepSalt`) and only
 * ever raises the cost, so it passes; a salt or a weakening this account never made is refused.
 */
export function checkPinnedKdf(kdf: KdfParams, pinned: KdfParams): void {
  checkCaps(kdf);
  if (!sameBytes(kdf.salt, pinned.salt) || !atLeastAsStrong(kdf, pinned)) {
    throw new VaultError('kdf_changed', msg('errKdfServerChanged'), { field: 'kdf' });
  }
}

/** Parameters a device of an account may store there: what a new device would accept (else it could never join). */
export function checkAccountKdf(kdf: KdfChoice, floor: KdfFloor = NEW_DEVICE_FLOOR): void {
  if (needsKdfUpgrade(kdf, floor) || exceedsCaps(kdf)) {
    throw new VaultError('kdf_below_floor', msg('errKdfAccountBelowDefault'), { field: 'kdf' });
  }
}

/** An account still on older parameters (PBKDF2, or Argon2id below the defaults): upgraded at its next unlock. */
export function needsKdfUpgrade(kdf: KdfChoice, floor: KdfFloor = NEW_DEVICE_FLOOR): boolean {
  return kdf.name !== 'Argon2id' || kdf.memoryKiB < floor.memoryKiB || kdf.passes < floor.passes;
}

/** What an upgrade moves an account to. */
export const UPGRADED_KDF: KdfChoice = DEFAULT_KDF;

function checkSalt(salt: Uint8Array): void {
  if (salt.length < 16 || new Set(salt).size < MIN_DISTINCT_SALT_BYTES) {
    throw new VaultError('kdf_salt', msg('errKdfServerSalt'), { field: 'kdf' });
  }
}

function checkCaps(kdf: KdfChoice): void {
  if (exceedsCaps(kdf)) throw new VaultError('kdf_out_of_range', msg('errKdfServerTooCostly'), { field: 'kdf' });
}

function exceedsCaps(kdf: KdfChoice): boolean {
  const caps = SERVER_KDF_CAPS;
  return kdf.name === 'Argon2id'
    ? kdf.memoryKiB > caps.memoryKiB || kdf.passes > caps.passes || kdf.parallelism > caps.parallelism
    : kdf.iterations > caps.iterations;
}

/** Argon2id beats PBKDF2; within one algorithm, no cost may go down. */
function atLeastAsStrong(kdf: KdfChoice, pinned: KdfChoice): boolean {
  if (kdf.name === 'Argon2id') {
    return pinned.name !== 'Argon2id' || (kdf.memoryKiB >= pinned.memoryKiB && kdf.passes >= pinned.passes);
  }
  return pinned.name === 'PBKDF2-HMAC-SHA256' && kdf.iterations >= pinned.iterations;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
