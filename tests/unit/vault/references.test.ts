import { describe, expect, it } from 'vitest';
import {
  labelOf,
  parseReferences,
  addressOf,
  ReferenceFailure,
  referencesIn,
  rewriteReferences,
  type Address,
} from '../../../lib/vault/references';
import { MAX_REFERENCE_DEPTH, resolveReferences, type ReferencedSecret } from '../../../lib/vault/reference-resolver';

const here: Address = { safe: 'Shop', env: 'Development', path: '/api', key: 'SELF' };

describe('parseReferences: Phase syntax', () => {
  it.each([
    ['${KEY}', { key: 'KEY' }, { safe: 'Shop', env: 'Development', path: '/api', key: 'KEY' }],
    ['${Production.KEY}', { env: 'Production', path: '/', key: 'KEY' }, { safe: 'Shop', env: 'Production', path: '/', key: 'KEY' }],
    ['${Production./db/KEY}', { env: 'Production', path: '/db', key: 'KEY' }, { safe: 'Shop', env: 'Production', path: '/db', key: 'KEY' }],
    ['${/db/KEY}', { path: '/db', key: 'KEY' }, { safe: 'Shop', env: 'Development', path: '/db', key: 'KEY' }],
    ['${/KEY}', { path: '/', key: 'KEY' }, { safe: 'Shop', env: 'Development', path: '/', key: 'KEY' }],
    ['${/a/b/c/KEY}', { path: '/a/b/c', key: 'KEY' }, { safe: 'Shop', env: 'Development', path: '/a/b/c', key: 'KEY' }],
    [
      '${Infra::Staging.KEY}',
      { safe: 'Infra', env: 'Staging', path: '/', key: 'KEY' },
      { safe: 'Infra', env: 'Staging', path: '/', key: 'KEY' },
    ],
    [
      '${Infra::Staging./x/KEY}',
      { safe: 'Infra', env: 'Staging', path: '/x', key: 'KEY' },
      { safe: 'Infra', env: 'Staging', path: '/x', key: 'KEY' },
    ],
    ['${/dotted/a.b}', { path: '/dotted', key: 'a.b' }, { safe: 'Shop', env: 'Development', path: '/dotted', key: 'a.b' }],
    [
      '${My Safe::Prod EU.KEY}',
      { safe: 'My Safe', env: 'Prod EU', path: '/', key: 'KEY' },
      { safe: 'My Safe', env: 'Prod EU', path: '/', key: 'KEY' },
    ],
  ])('%s', (value, fields, address) => {
    const [segment] = parseReferences(value);
    expect(segment).toEqual({ ref: { raw: value.slice(2, -1), ...fields } });
    expect(addressOf((segment as { ref: never }).ref, here)).toEqual(address);
  });

  it.each([
    ['plain text', [{ text: 'plain text' }]],
    ['$${KEY}', [{ text: '${KEY}' }]],
    ['a$${b}c${K}d', [{ text: 'a${b}c' }, { ref: { raw: 'K', key: 'K' } }, { text: 'd' }]],
    ['$$${K}', [{ text: '$${K}' }]],
    ['${unclosed', [{ text: '${unclosed' }]],
    ['x${A}${B}', [{ text: 'x' }, { ref: { raw: 'A', key: 'A' } }, { ref: { raw: 'B', key: 'B' } }]],
    ['$5 and {braces}', [{ text: '$5 and {braces}' }]],
  ])('text and escapes: %s', (value, segments) => {
    expect(parseReferences(value)).toEqual(segments);
  });

  it.each([
    ['${}', 'syntax'],
    ['${ }', 'syntax'],
    ['${.KEY}', 'syntax'],
    ['${::Prod.KEY}', 'syntax'],
    ['${Prod.}', 'syntax'],
    ['${/path/}', 'syntax'],
    ['${ KEY}', 'syntax'],
    ['${Other::KEY}', 'safe-without-env'],
    ['${Other::/path/KEY}', 'safe-without-env'],
  ])('refuses %s (%s)', (value, problem) => {
    expect(() => parseReferences(value)).toThrow(ReferenceFailure);
    try {
      parseReferences(value);
    } catch (error) {
      expect((error as ReferenceFailure).problem).toBe(problem);
    }
  });

  it('referencesIn lists each reference once, and nothing for a malformed value', () => {
    expect(referencesIn('${A}-${A}-${Prod.B}-$${C}')).toEqual(['A', 'Prod.B']);
    expect(referencesIn('${Other::KEY}')).toEqual([]);
    expect(referencesIn('no refs')).toEqual([]);
  });

  it('labels an address in full', () => {
    expect(labelOf({ safe: 'S', env: 'E', path: '/', key: 'K' })).toBe('S::E.K');
    expect(labelOf({ safe: 'S', env: 'E', path: '/p', key: 'K' })).toBe('S::E./p/K');
  });
});

describe('rewriteReferences: after a rename or a move', () => {
  const from: Address = { safe: 'Shop', env: 'Development', path: '/api', key: 'OLD' };
  it.each([
    ['${OLD}', { ...from, key: 'NEW' }, '${NEW}'],
    ['x ${OLD} y $${OLD} ${OTHER}', { ...from, key: 'NEW' }, 'x ${NEW} y $${OLD} ${OTHER}'],
    ['${OLD}', { ...from, path: '/db' }, '${/db/OLD}'],
    ['${/api/OLD}', { ...from, path: '/' }, '${/OLD}'],
    ['${Development./api/OLD}', { ...from, key: 'NEW' }, '${Development./api/NEW}'],
    ['${Shop::Development./api/OLD}', { ...from, key: 'NEW' }, '${Shop::Development./api/NEW}'],
    ['${OLD}', { ...from, key: 'a.b' }, '${/api/a.b}'],
    ['${Production.OLD}', { ...from, key: 'NEW' }, '${Production.OLD}'],
  ])('%s → %o', (value, to, expected) => {
    expect(rewriteReferences(value, here, from, to)).toBe(expected);
  });
});

/** A small vault as the resolver sees it: addresses to values. */
function vaultOf(rows: [Address, string, boolean?][]) {
  const secrets: ReferencedSecret[] = rows.map(([address, value, isProtected], i) => ({
    id: `s${i}`,
    address,
    value,
    protected: isProtected === true,
  }));
  const find = async (p: Address) => {
    const hit = secrets.find(
      (s) =>
        s.address.safe.toLowerCase() === p.safe.toLowerCase() &&
        s.address.env.toLowerCase() === p.env.toLowerCase() &&
        s.address.path === p.path &&
        s.address.key === p.key,
    );
    if (!hit) throw new ReferenceFailure('missing', labelOf(p));
    if (hit.value === 'DAMAGED') throw new ReferenceFailure('unopenable', labelOf(p));
    return hit;
  };
  const resolve = (i: number, keep = false) => resolveReferences(secrets[i]!, find, { keep });
  return { secrets, find, resolve };
}

const dev = (key: string, path = '/'): Address => ({ safe: 'Shop', env: 'Development', path, key });
const prod = (key: string, path = '/'): Address => ({ safe: 'Shop', env: 'Production', path, key });

describe('resolveReferences', () => {
  it.each([
    ['plain', 'plain'],
    ['${HOST}:${PORT}', 'localhost:5432'],
    ['postgres://${/db/USER}@${HOST}', 'postgres://app@localhost'],
    ['${Production.HOST}', 'db.internal'],
    ['${Infra::Staging./net/CIDR}', '10.0.0.0/8'],
    ['$${HOST} is literal, ${HOST} is not', '${HOST} is literal, localhost is not'],
    ['${infra::staging./net/CIDR}', '10.0.0.0/8'],
  ])('%s → %s', async (value, expected) => {
    const v = vaultOf([
      [dev('ROOT'), value],
      [dev('HOST'), 'localhost'],
      [dev('PORT'), '5432'],
      [dev('USER', '/db'), 'app'],
      [prod('HOST'), 'db.internal', true],
      [{ safe: 'Infra', env: 'Staging', path: '/net', key: 'CIDR' }, '10.0.0.0/8'],
    ]);
    expect((await v.resolve(0)).value).toBe(expected);
  });

  it('reads a nested reference in the context of the secret that holds it (Infisical #7460/#7476)', async () => {
    // Development's URL names Production's URL, which says ${HOST}: that is Production's HOST, not Development's.
    const v = vaultOf([
      [dev('URL'), 'via ${Production.URL}'],
      [prod('URL'), 'https://${HOST}/${/v2/PATH}', true],
      [dev('HOST'), 'dev.example'],
      [prod('HOST'), 'prod.example', true],
      [dev('PATH', '/v2'), 'dev-path'],
      [prod('PATH', '/v2'), 'prod-path', true],
    ]);
    const resolved = await v.resolve(0);
    expect(resolved.value).toBe('via https://prod.example/prod-path');
    expect(resolved.protectedEnv).toBe('Production');
  });

  it('a value with no protected reference is not protected', async () => {
    const v = vaultOf([
      [dev('A'), '${B}'],
      [dev('B'), 'b'],
    ]);
    expect((await v.resolve(0)).protectedEnv).toBeUndefined();
  });

  it('a cycle fails with the whole chain', async () => {
    const v = vaultOf([
      [dev('A'), '${B}'],
      [dev('B'), 'x${/p/C}'],
      [dev('C', '/p'), '${Shop::Development.A}'],
    ]);
    await expect(v.resolve(0)).rejects.toMatchObject({
      problem: 'cycle',
      chain: ['Shop::Development.A', 'Shop::Development.B', 'Shop::Development./p/C', 'Shop::Development.A'],
    });
  });

  it('a secret naming itself is a cycle', async () => {
    const v = vaultOf([[dev('A'), '${A}']]);
    await expect(v.resolve(0)).rejects.toMatchObject({ problem: 'cycle', chain: ['Shop::Development.A', 'Shop::Development.A'] });
  });

  it('the same secret twice side by side is no cycle', async () => {
    const v = vaultOf([
      [dev('A'), '${B}${B}'],
      [dev('B'), '${C}'],
      [dev('C'), 'c'],
    ]);
    expect((await v.resolve(0)).value).toBe('cc');
  });

  it(`follows ${MAX_REFERENCE_DEPTH} levels and refuses the next`, async () => {
    const chainOf = (n: number) =>
      vaultOf([...Array.from({ length: n }, (_, i): [Address, string] => [dev(`K${i}`), `\${K${i + 1}}`]), [dev(`K${n}`), 'end']]);
    expect((await chainOf(MAX_REFERENCE_DEPTH).resolve(0)).value).toBe('end');
    await expect(chainOf(MAX_REFERENCE_DEPTH + 1).resolve(0)).rejects.toMatchObject({ problem: 'depth' });
  });

  it.each([
    ['${NOPE}', 'missing', 'Shop::Development.NOPE'],
    ['${B}', 'missing', 'Shop::Development.NOPE'],
    ['${BROKEN}', 'unopenable', 'Shop::Development.BROKEN'],
    ['${Other::KEY}', 'safe-without-env', 'Other::KEY'],
  ])('%s fails: %s names %s', async (value, problem, name) => {
    const v = vaultOf([
      [dev('A'), value],
      [dev('B'), '${NOPE}'],
      [dev('BROKEN'), 'DAMAGED'],
    ]);
    const error = await v.resolve(0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReferenceFailure);
    expect((error as ReferenceFailure).problem).toBe(problem);
    expect(String((error as ReferenceFailure).message)).toContain(name);
  });

  it('keep: failed references stay as written, the others resolve', async () => {
    const v = vaultOf([
      [dev('A'), '${B}/${NOPE}/$${lit}/${Other::X}'],
      [dev('B'), 'b'],
    ]);
    const resolved = await v.resolve(0, true);
    expect(resolved.value).toBe('b/${NOPE}/${lit}/${Other::X}');
    expect(resolved.kept).toEqual(['NOPE', 'Other::X']);
  });
});
