// KDF parameters: the two algorithms, their floors and caps, and the one check every source goes through.
// No crypto here, so pages can import the limits without pulling in the KDFs themselves.
import { msg, type MessageKey } from '../i18n';
import { invalid, VaultError } from './errors';

/** PBKDF2-HMAC-SHA256: OWASP's 2023 minimum (600,000) up to 2,000,000 iterations (docs/vault.md, "Key hierarchy"). */
export const KDF_MIN_ITERATIONS = 600_000;
export const KDF_MAX_ITERATIONS = 2_000_000;
export const KDF_DEFAULT_ITERATIONS = 600_000;

/**
 * Argon2id floors from the OWASP Password Storage Cheat Sheet (at least 19 MiB and 2 passes);
 * the caps keep parameters from any source (a stored record, a backup, a server) from freezing
 * the browser or exhausting its memory.
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
 */
export const ARGON2_LIMITS = {
  memoryKiB: { min: 19_456, max: 1_048_576 },
  passes: { min: 2, max: 10 },
  parallelism: { min: 1, max: 16 },
} as const;
/** New vaults: 64 MiB, 3 passes, 4 lanes (Bitwarden's Argon2id default). */
export const ARGON2_DEFAULTS = { memoryKiB: 65_536, passes: 3, parallelism: 4 } as const;

export type KdfParams =
  | { name: 'Argon2id'; salt: Uint8Array<ArrayBuffer>; memoryKiB: number; passes: number; parallelism: number }
  | { name: 'PBKDF2-HMAC-SHA256'; salt: Uint8Array<ArrayBuffer>; iterations: number };

/** A KDF choice without its salt: what Settings shows and what a change of KDF asks for. */
export type KdfChoice =
  | { name: 'Argon2id'; memoryKiB: number; passes: number; parallelism: number }
  | { name: 'PBKDF2-HMAC-SHA256'; iterations: number };

/** New vaults derive with Argon2id (docs/vault.md, "Key hierarchy"). */
export const DEFAULT_KDF: KdfChoice = { name: 'Argon2id', ...ARGON2_DEFAULTS };

/** Where parameters come from, for the error message: stored (record, backup), a sync server's answer, or asked for. */
export type KdfSource = 'stored' | 'server' | 'requested';

/**
 * Downgrade protection: whoever supplies the parameters (stored record, backup file, server
 * prelogin), this client never derives with fewer iterations than its floor.
 */
export function checkIterations(iterations: unknown, source: KdfSource): number {
  return checkWhole(iterations, 'iterations', KDF_MIN_ITERATIONS, KDF_MAX_ITERATIONS, source, 'unitIterations');
}

/**
 * Downgrade protection for either KDF, from every source: a record, a backup or a server
 * answer that names weaker (or absurdly costly) parameters is refused before any derivation.
 * Returns the parameters as a fresh, well-typed object.
 */
export function checkKdf(kdf: unknown, source: KdfSource): KdfParams {
  const k = (kdf ?? {}) as Record<string, unknown>;
  const salt = k.salt;
  if (!(salt instanceof Uint8Array) || salt.length < 16) {
    throw invalid('kdf', 'errKdfSalt');
  }
  const saltCopy = new Uint8Array(salt);
  return { ...checkKdfChoice(k, source), salt: saltCopy } as KdfParams;
}

export function checkKdfChoice(kdf: unknown, source: KdfSource): KdfChoice {
  const k = (kdf ?? {}) as Record<string, unknown>;
  if (k.name === 'PBKDF2-HMAC-SHA256') return { name: k.name, iterations: checkIterations(k.iterations, source) };
  if (k.name === 'Argon2id') {
    const { memoryKiB, passes, parallelism } = ARGON2_LIMITS;
    return {
      name: 'Argon2id',
      memoryKiB: checkWhole(k.memoryKiB, 'memoryKiB', memoryKiB.min, memoryKiB.max, source, 'unitArgonMemory'),
      passes: checkWhole(k.passes, 'passes', passes.min, passes.max, source, 'unitArgonPasses'),
      parallelism: checkWhole(k.parallelism, 'parallelism', parallelism.min, parallelism.max, source, 'unitArgonLanes'),
    };
  }
  throw invalid('kdf', 'errKdfName');
}

function checkWhole(value: unknown, field: string, min: number, max: number, source: KdfSource, unit: MessageKey): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(field, 'errKdfWhole', field);
  }
  const n = (x: number) => x.toLocaleString('en');
  if (value < min) {
    const key = ({ stored: 'errKdfStoredBelowFloor', server: 'errKdfServerBelowFloor', requested: 'errKdfRequestedBelowFloor' } as const)[
      source
    ];
    throw new VaultError('kdf_below_floor', msg(key, n(value), n(min), msg(unit)), { field });
  }
  if (value > max) {
    throw new VaultError('kdf_out_of_range', msg('errKdfTooHigh', field, n(max), msg(unit), n(value)), { field });
  }
  return value;
}

/** What Settings shows of the stored parameters (no salt). */
export function kdfChoiceOf(kdf: KdfParams): KdfChoice {
  return kdf.name === 'Argon2id'
    ? { name: kdf.name, memoryKiB: kdf.memoryKiB, passes: kdf.passes, parallelism: kdf.parallelism }
    : { name: kdf.name, iterations: kdf.iterations };
}
