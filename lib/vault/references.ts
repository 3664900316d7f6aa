// Secret references in a value, in Phase's syntax, so a vault exported from Phase keeps working
// (https://docs.phase.dev/console/secrets#secret-referencing). Pure: parsing, where a reference
// points, and rewriting one after a rename. Resolving reads values: reference-resolver.ts.
//
//   ${KEY}                same environment and path as the secret that holds the value
//   ${env.KEY}            environment `env`, path /
//   ${env./path/KEY}      environment `env`, path /path
//   ${/path/KEY}          same environment, path /path
//   ${safe::env.KEY}      another safe (it must name its environment; a path may follow as above)
//   $${                   a literal `${`

/** What a reference names; an absent part means "the same as the secret that holds it". */
export interface Reference {
  /** The text between `${` and `}`, as written. */
  raw: string;
  safe?: string;
  env?: string;
  path?: string;
  key: string;
}

export type Segment = { text: string } | { ref: Reference };

/** A secret's address: where it lives, by names. Safe and environment compare case-insensitively, path and key exactly. */
export interface Address {
  safe: string;
  env: string;
  path: string;
  key: string;
}

export type ReferenceProblem = 'syntax' | 'safe-without-env' | 'missing' | 'unopenable' | 'cycle' | 'depth';

/** Why a value could not be resolved; `name` is the reference that failed, `chain` the secrets followed to it. */
export class ReferenceFailure extends Error {
  override readonly name = 'ReferenceFailure';
  constructor(
    readonly problem: ReferenceProblem,
    readonly reference: string,
    readonly chain: string[] = [],
  ) {
    super(`${problem}: ${chain.length > 0 ? chain.join(' → ') : reference}`);
  }
}

/** Quick test before parsing: most values hold no reference and cost nothing more. */
export function mayHoldReferences(value: string): boolean {
  return value.includes('${');
}

/**
 * The value cut into text and references. `$${` is a literal `${`; a `${` with no closing `}` is
 * text (Phase's pattern does not match it either). A malformed reference throws ReferenceFailure.
 */
export function parseReferences(value: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  for (const piece of pieces(value)) {
    if ('raw' in piece) {
      if (text) segments.push({ text });
      text = '';
      segments.push({ ref: parseReference(piece.raw) });
    } else text += 'escape' in piece ? '${' : piece.text;
  }
  if (text) segments.push({ text });
  return segments;
}

/** A value's pieces in order: text, the `$${` escape, and what is inside each closed `${…}`. */
type Piece = { text: string } | { escape: true } | { raw: string };

function* pieces(value: string): Generator<Piece> {
  let i = 0;
  while (i < value.length) {
    const next = value.indexOf('${', i);
    const escaped = next > 0 && value[next - 1] === '$';
    const start = next === -1 ? value.length : escaped ? next - 1 : next;
    if (start > i) yield { text: value.slice(i, start) };
    if (next === -1) return;
    if (escaped) {
      yield { escape: true };
      i = next + 2;
      continue;
    }
    const end = value.indexOf('}', next + 2);
    if (end === -1) {
      yield { text: value.slice(next) };
      return;
    }
    yield { raw: value.slice(next + 2, end) };
    i = end + 1;
  }
}

/** The references a value holds, as written (sealed in the secret's meta, for "used by"). */
export function referencesIn(value: string): string[] {
  if (!mayHoldReferences(value)) return [];
  try {
    return [...new Set(parseReferences(value).flatMap((s) => ('ref' in s ? [s.ref.raw] : [])))];
  } catch {
    return [];
  }
}

/** One reference's body (between `${` and `}`). */
export function parseReference(raw: string): Reference {
  if (raw.trim() === '' || raw.includes('\n') || raw.includes('${')) throw new ReferenceFailure('syntax', raw);
  let rest = raw;
  const ref: Omit<Reference, 'key'> = { raw };
  const colons = rest.indexOf('::');
  if (colons !== -1) {
    ref.safe = rest.slice(0, colons);
    rest = rest.slice(colons + 2);
    if (ref.safe === '') throw new ReferenceFailure('syntax', raw);
  }
  // `${/path/KEY}` names a path in the same environment; otherwise the first '.' ends the environment.
  const dot = rest.startsWith('/') ? -1 : rest.indexOf('.');
  if (dot !== -1) {
    ref.env = rest.slice(0, dot);
    rest = rest.slice(dot + 1);
    if (ref.env === '') throw new ReferenceFailure('syntax', raw);
    // Phase: another environment's secret is at / unless a path is given.
    if (!rest.startsWith('/')) ref.path = '/';
  } else if (ref.safe !== undefined) {
    throw new ReferenceFailure('safe-without-env', raw);
  }
  if (rest.startsWith('/')) {
    const slash = rest.lastIndexOf('/');
    ref.path = normalise(rest.slice(0, slash));
    rest = rest.slice(slash + 1);
  }
  if (rest === '' || rest !== rest.trim()) throw new ReferenceFailure('syntax', raw);
  return { ...ref, key: rest };
}

/** '/api/' ≡ '/api', '' ≡ '/' (as the vault's paths). */
function normalise(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Where a reference points, read in the context of the secret whose value holds it. */
export function addressOf(ref: Reference, context: Address): Address {
  const sameEnv = ref.safe === undefined && ref.env === undefined;
  return {
    safe: ref.safe ?? context.safe,
    env: ref.env ?? context.env,
    path: ref.path ?? (sameEnv ? context.path : '/'),
    key: ref.key,
  };
}

export function sameAddress(a: Address, b: Address): boolean {
  return (
    a.safe.toLowerCase() === b.safe.toLowerCase() && a.env.toLowerCase() === b.env.toLowerCase() && a.path === b.path && a.key === b.key
  );
}

/** An address written in full, as a reference from any other safe would be: `safe::env./path/KEY`. */
export function labelOf(address: Address): string {
  return `${address.safe}::${address.env}.${address.path === '/' ? '' : address.path}${address.path === '/' ? '' : '/'}${address.key}`;
}

/**
 * The value with every reference to `from` (read in `context`) now pointing at `to`: the same
 * form where it still reads right, else the fullest one that does. Text and other references are
 * left exactly as they were, escapes included.
 */
export function rewriteReferences(value: string, context: Address, from: Address, to: Address): string {
  if (!mayHoldReferences(value)) return value;
  let out = '';
  for (const piece of pieces(value)) {
    if ('text' in piece) out += piece.text;
    else if ('escape' in piece) out += '$${';
    else {
      let ref: Reference | undefined;
      try {
        ref = parseReference(piece.raw);
      } catch {
        ref = undefined;
      }
      out += ref && sameAddress(addressOf(ref, context), from) ? `\${${writeReference(ref, context, to)}}` : `\${${piece.raw}}`;
    }
  }
  return out;
}

/** The shortest of the reference's own form and fuller ones that reads as `to` from `context`. */
function writeReference(ref: Reference, context: Address, to: Address): string {
  const pathKey = `${to.path === '/' ? '' : to.path}/${to.key}`;
  const forms = [
    ...(ref.safe === undefined && ref.env === undefined && ref.path === undefined ? [to.key] : []),
    ...(ref.safe === undefined && ref.env === undefined ? [pathKey] : []),
    ...(ref.safe === undefined ? [`${to.env}.${to.path === '/' ? to.key : pathKey}`] : []),
    `${to.safe}::${to.env}.${to.path === '/' ? to.key : pathKey}`,
  ];
  for (const form of forms) {
    try {
      if (sameAddress(addressOf(parseReference(form), context), to)) return form;
    } catch {
      // a key that this form cannot carry (e.g. one with a '.'): try the next
    }
  }
  return forms[forms.length - 1]!;
}
