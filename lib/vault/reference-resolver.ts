// Resolves the references in a value. Pure: the caller says how to find a secret by address
// (reference-values.ts reads the vault), so the rules below are tested on tables alone.
import { labelOf, mayHoldReferences, parseReferences, addressOf, ReferenceFailure, type Address } from './references';

/** A secret a reference reached: its value as a read returns it (your override while active). */
export interface ReferencedSecret {
  id: string;
  address: Address;
  value: string;
  /** Its environment is protected (Production). */
  protected: boolean;
}

/** Finds a secret by address; throws ReferenceFailure('missing' | 'unopenable') when it cannot. */
export type FindSecret = (address: Address) => Promise<ReferencedSecret>;

export interface Resolved {
  value: string;
  /** The first protected environment a reference reached, as `safe::env` labels go (undefined: none). */
  protectedEnv?: string;
  /** References that failed and were kept as written (only with `keep: true`). */
  kept: string[];
}

/** References followed from one value at most (Phase and Infisical stop at similar depths). */
export const MAX_REFERENCE_DEPTH = 10;

/**
 * The value with each `${…}` replaced by the value it names. A nested reference is read in the
 * context of the secret that holds it, never the one first asked for: Infisical expanded nested
 * references in the caller's environment, so a Development secret could pull a Production value
 * through a shared name (Infisical PRs #7460 and #7476). A cycle fails with the whole chain, and
 * so does a chain deeper than MAX_REFERENCE_DEPTH. With `keep`, a top-level reference that fails
 * stays as written (an export the user chose to keep them in); otherwise the first failure throws.
 */
export async function resolveReferences(
  root: { id: string; address: Address; value: string },
  find: FindSecret,
  options: { keep?: boolean } = {},
): Promise<Resolved> {
  const out: Resolved = { value: root.value, kept: [] };
  if (!mayHoldReferences(root.value)) return out;
  const chain = [{ id: root.id, label: labelOf(root.address) }];

  async function expand(value: string, context: Address, depth: number): Promise<string> {
    if (!mayHoldReferences(value)) return value;
    let result = '';
    for (const segment of parseReferences(value)) {
      if ('text' in segment) {
        result += segment.text;
        continue;
      }
      const address = addressOf(segment.ref, context);
      const label = labelOf(address);
      if (depth >= MAX_REFERENCE_DEPTH) throw new ReferenceFailure('depth', segment.ref.raw, [...chain.map((c) => c.label), label]);
      let found: ReferencedSecret;
      try {
        found = await find(address);
      } catch (error) {
        // Named as written, with the path that led to it: the user sees which text to correct.
        if (error instanceof ReferenceFailure)
          throw new ReferenceFailure(error.problem, segment.ref.raw, [...chain.map((c) => c.label), label]);
        throw error;
      }
      if (chain.some((c) => c.id === found.id)) {
        throw new ReferenceFailure('cycle', segment.ref.raw, [...chain.map((c) => c.label), label]);
      }
      if (found.protected && out.protectedEnv === undefined) out.protectedEnv = found.address.env;
      chain.push({ id: found.id, label });
      try {
        result += await expand(found.value, found.address, depth + 1);
      } finally {
        chain.pop();
      }
    }
    return result;
  }

  if (!options.keep) {
    out.value = await expand(root.value, root.address, 0);
    return out;
  }
  // Kept references: each top-level one resolves on its own, and stays as written if it fails.
  let value = '';
  for (const segment of safeSegments(root.value)) {
    if ('text' in segment) {
      value += segment.text;
      continue;
    }
    try {
      value += await expand(`\${${segment.ref.raw}}`, root.address, 0);
    } catch (error) {
      if (!(error instanceof ReferenceFailure)) throw error;
      value += `\${${segment.ref.raw}}`;
      out.kept.push(segment.ref.raw);
    }
  }
  out.value = value;
  return out;
}

/** Segments where even a malformed reference is kept as one (for `keep`). */
function safeSegments(value: string): ({ text: string } | { ref: { raw: string } })[] {
  try {
    return parseReferences(value);
  } catch {
    const segments: ({ text: string } | { ref: { raw: string } })[] = [];
    for (const part of value.split(/(\$\$\{|\$\{[^}]*\})/)) {
      if (part === '$${') segments.push({ text: '${' });
      else if (part.startsWith('${') && part.endsWith('}')) segments.push({ ref: { raw: part.slice(2, -1) } });
      else if (part) segments.push({ text: part });
    }
    return segments;
  }
}
