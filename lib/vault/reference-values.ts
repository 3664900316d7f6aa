// References in use: a secret's value resolved for copy, fill, insert and export, and which
// secrets use one. Reads the names in memory (search.ts) and values as reveal does; writes nothing:
// a resolved value is never stored.
import type { VaultContext } from './context';
import { VaultError } from './errors';
import { resolveReferences, type ReferencedSecret } from './reference-resolver';
import { labelOf, parseReference, addressOf, ReferenceFailure, sameAddress, type Address } from './references';
import { allHits, findHit } from './search';
import { revealSecret } from './secrets';
import type { SearchHit } from './types';
import { msg } from '../i18n';

export interface ResolvedValue {
  /** The value with its references replaced (equal to the stored one when it holds none). */
  value: string;
  /** The value holds at least one reference. */
  references: boolean;
  /** A reference reached this protected environment (Production): fill and insert ask first. */
  protectedEnv?: string;
  /** References kept as written (an export that asked for it). */
  kept: string[];
}

export function addressOfHit(hit: SearchHit): Address {
  return { safe: hit.safeName, env: hit.envName, path: hit.path, key: hit.key };
}

/**
 * The value a copy, fill, insert or export uses: the stored one (your override while active) with
 * its references resolved on this device, each referenced secret read the same way. `shared`
 * starts from the shared value instead (an export, which writes shared values). A reference that
 * is missing, damaged, cyclic or too deep throws VaultError('reference') naming it, unless `keep`.
 */
export async function resolveValue(
  ctx: VaultContext,
  id: string,
  options: { keep?: boolean; shared?: string } = {},
): Promise<ResolvedValue> {
  const raw = options.shared ?? (await revealSecret(ctx, id)).value;
  if (!raw.includes('${')) return { value: raw, references: false, kept: [] };
  const hit = await findHit(ctx, id);
  if (!hit) throw new VaultError('not_found', msg('errSecretGone'));
  const hits = await allHits(ctx);
  const find = async (address: Address): Promise<ReferencedSecret> => {
    const found = hits.find((h) => sameAddress(addressOfHit(h), address));
    if (!found) throw new ReferenceFailure('missing', labelOf(address));
    try {
      return { id: found.id, address: addressOfHit(found), value: (await revealSecret(ctx, found.id)).value, protected: found.protected };
    } catch (error) {
      if (error instanceof VaultError && (error.code === 'damaged' || error.code === 'not_found')) {
        throw new ReferenceFailure('unopenable', labelOf(address));
      }
      throw error;
    }
  };
  try {
    const resolved = await resolveReferences({ id, address: addressOfHit(hit), value: raw }, find, { keep: options.keep === true });
    return {
      value: resolved.value,
      references: true,
      kept: resolved.kept,
      ...(resolved.protectedEnv === undefined ? {} : { protectedEnv: resolved.protectedEnv }),
    };
  } catch (error) {
    if (error instanceof ReferenceFailure) throw referenceError(hit.key, error);
    throw error;
  }
}

// Browsers' message format reads '$' itself, so the reference syntax travels as substitutions.
const ESCAPE = '$${';
const LITERAL = '${';

/** The failure in words a user can act on, naming the secret being used and the reference that failed. */
export function referenceError(key: string, failure: ReferenceFailure): VaultError {
  const chain = failure.chain.join(' → ');
  const written = `\${${failure.reference}}`;
  switch (failure.problem) {
    case 'cycle':
      return new VaultError('reference', msg('errReferenceCycle', key, chain));
    case 'depth':
      return new VaultError('reference', msg('errReferenceDepth', key, chain));
    case 'missing':
      return new VaultError('reference', msg('errReferenceMissing', key, written, chain, ESCAPE, LITERAL));
    case 'unopenable':
      return new VaultError('reference', msg('errReferenceUnopenable', key, written, chain));
    case 'safe-without-env':
      return new VaultError('reference', msg('errReferenceSafeEnv', key, written));
    default:
      return new VaultError('reference', msg('errReferenceSyntax', key, written, '${KEY}, ${env.KEY}, ${/path/KEY}', ESCAPE, LITERAL));
  }
}

/**
 * The secrets whose values reference this one, from the references sealed in each meta (written
 * with the value since references exist), read in each referrer's own context.
 */
export async function usedBy(ctx: VaultContext, id: string): Promise<SearchHit[]> {
  const hit = await findHit(ctx, id);
  if (!hit) throw new VaultError('not_found', msg('errSecretGone'));
  return referrersOf(await allHits(ctx), addressOfHit(hit), id);
}

/** Among `hits`, those whose sealed references point at `address`. */
export function referrersOf(hits: SearchHit[], address: Address, exceptId?: string): SearchHit[] {
  return hits.filter(
    (h) =>
      h.id !== exceptId &&
      (h.refs ?? []).some((raw) => {
        try {
          return sameAddress(addressOf(parseReference(raw), addressOfHit(h)), address);
        } catch {
          return false;
        }
      }),
  );
}
