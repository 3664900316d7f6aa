import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseWithDotenv } from 'dotenv';
import { formatDotenv, parseDotenv, type Vault } from '../../../lib/vault';
import { makeVault, rejection } from './helpers';

const HANDWRITTEN = [
  '# Database',
  '# (primary)',
  'export DB_HOST=localhost',
  "DB_PASS='p@ss #not a comment'",
  'GREETING="hello\\nworld"',
  'MULTI="line one',
  'KEY_LOOKALIKE=inside the value',
  'line three"',
  'INLINE=value # trailing comment',
  '',
  '# orphan comment',
  '',
  'EMPTY=',
  'SPACED = spaced out  ',
  'export   PEM=`-----BEGIN KEY-----',
  'it\'s "quoted"',
  '-----END KEY-----`',
  'DUP=first',
  'DUP=second',
].join('\r\n');

describe('parseDotenv (dotenv rules plus comments above a key)', () => {
  it('reads export prefixes, quotes, escapes, multi-line values and comments', () => {
    expect(parseDotenv(HANDWRITTEN)).toEqual([
      { key: 'DB_HOST', value: 'localhost', comment: 'Database\n(primary)' },
      { key: 'DB_PASS', value: 'p@ss #not a comment' },
      { key: 'GREETING', value: 'hello\nworld' },
      { key: 'MULTI', value: 'line one\nKEY_LOOKALIKE=inside the value\nline three' },
      { key: 'INLINE', value: 'value' },
      { key: 'EMPTY', value: '' },
      { key: 'SPACED', value: 'spaced out' },
      { key: 'PEM', value: '-----BEGIN KEY-----\nit\'s "quoted"\n-----END KEY-----' },
      { key: 'DUP', value: 'second' },
    ]);
  });

  it('formats values so that dotenv reads back exactly the same, or refuses', () => {
    const values = [
      'plain',
      '',
      ' leading and trailing ',
      'has # hash',
      "it's",
      'say "hi"',
      'multi\nline\nvalue',
      'windows\r\nline',
      'back\\slash and \\n literally',
      'ends with backslash\\',
      'both \' and " quotes',
      'both \' and " and \\',
      '$HOME ${VAR} `cmd`',
      'unicode ✓ ünïcödé 🔑',
      '=starts with equals',
      "'looks quoted'",
      '"also looks quoted"',
    ];
    const entries = values.map((value, i) => ({ key: `K${i}`, value, comment: i % 3 === 0 ? `note ${i}\n  second line` : '' }));
    const text = formatDotenv(entries);
    expect(parseDotenv(text)).toEqual(
      entries.map((e) => (e.comment ? { key: e.key, value: e.value, comment: e.comment } : { key: e.key, value: e.value })),
    );
    expect(() => formatDotenv([{ key: 'X', value: ' a\'b"c`d\\' }])).toThrow(/cannot carry exactly/);
    expect(() => formatDotenv([{ key: 'HAS SPACE', value: 'v' }])).toThrow(/cannot be written/);
  });

  it('never changes a value: random awkward values read back exactly or are refused', () => {
    const alphabet = ['a', 'n', ' ', "'", '"', '`', '\\', '#', '\n', '\r', '$', '=', 'é'];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let written = 0;
    const entries: { key: string; value: string }[] = [];
    for (let i = 0; i < 3000; i++) {
      let value = '';
      const length = Math.floor(next() * 10);
      for (let j = 0; j < length; j++) value += alphabet[Math.floor(next() * alphabet.length)];
      try {
        formatDotenv([{ key: 'K', value }]);
      } catch {
        continue; // refused: acceptable, never silently altered
      }
      entries.push({ key: `K${i}`, value });
      written++;
    }
    // All representable values in ONE file, so a value cannot swallow its neighbours either.
    expect(parseDotenv(formatDotenv(entries))).toEqual(entries);
    expect(written).toBeGreaterThan(2000);
  });
});

describe('importDotenv and exportDotenv', () => {
  let vault: Vault;
  const DEV = { safeName: 'Personal', envName: 'Development' };
  beforeAll(async () => {
    ({ vault } = await makeVault());
  });

  it('imports a file into one environment and path, then exports it identical in meaning', async () => {
    expect(await vault.importDotenv({ ...DEV, secretPath: '/app', text: HANDWRITTEN })).toEqual({ created: 9, updated: 0, skipped: 0 });
    const [dbHost] = await vault.get({ ...DEV, keyToFind: 'DB_HOST', secretPath: '/app' });
    expect(dbHost).toMatchObject({ value: 'localhost', comment: 'Database\n(primary)', path: '/app' });

    const exported = await vault.exportDotenv({ ...DEV, secretPath: '/app' });
    expect(exported).toContain('# Database\n# (primary)\nDB_HOST=localhost\n');
    expect(parseDotenv(exported)).toEqual(parseDotenv(HANDWRITTEN));

    // Round trip through the vault: into Staging, out again, byte for byte the same file.
    await vault.importDotenv({ safeName: 'Personal', envName: 'Staging', text: exported });
    expect(await vault.exportDotenv({ safeName: 'Personal', envName: 'Staging' })).toBe(exported);
    expect(await vault.exportDotenv({ ...DEV })).toBe(''); // nothing at /
  });

  it('on a conflict: refuses and writes nothing, skips, or overwrites', async () => {
    const text = 'DB_HOST=db.internal\nBRAND_NEW=1\n';
    const error = await rejection(vault.importDotenv({ ...DEV, secretPath: '/app', text }));
    expect([error.code, error.message]).toEqual([
      'duplicate',
      'A secret named DB_HOST already exists at /app in Development; choose skip or overwrite',
    ]);
    expect(await vault.get({ ...DEV, keyToFind: 'BRAND_NEW', secretPath: '/app' })).toEqual([]);

    expect(await vault.importDotenv({ ...DEV, secretPath: '/app', text, onConflict: 'skip' })).toEqual({
      created: 1,
      updated: 0,
      skipped: 1,
    });
    expect((await vault.get({ ...DEV, keyToFind: 'DB_HOST', secretPath: '/app' }))[0]!.value).toBe('localhost');

    expect(await vault.importDotenv({ ...DEV, secretPath: '/app', text, onConflict: 'overwrite' })).toEqual({
      created: 0,
      updated: 2,
      skipped: 0,
    });
    const [host] = await vault.get({ ...DEV, keyToFind: 'DB_HOST', secretPath: '/app' });
    expect(host).toMatchObject({ value: 'db.internal', comment: 'Database\n(primary)' }); // no comment in the file: kept
  });

  it('refuses to export a value that no .env quoting can carry, rather than change it', async () => {
    await vault.create({ ...DEV, secretPath: '/odd', keyValuePairs: { ODD: ' a\'b"c`d\\' } });
    expect((await rejection(vault.exportDotenv({ ...DEV, secretPath: '/odd' }))).code).toBe('dotenv_unrepresentable');
    expect((await rejection(vault.importDotenv({ ...DEV, text: 'A=1', onConflict: 'merge' as never }))).code).toBe('invalid_input');
  });
});

describe('parseDotenv against the dotenv package (an independent implementation)', () => {
  it('reads the same keys and values from random awkward files', () => {
    const pieces = ['A', 'B_1', 'export ', '=', ': ', ' ', '\t', '\n', '\r\n', "'", '"', '`', '\\', '\\n', '#', 'x', 'é', '$'];
    let seed = 777;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const length = Math.floor(next() * 30);
      for (let j = 0; j < length; j++) text += pieces[Math.floor(next() * pieces.length)];
      const ours = Object.fromEntries(parseDotenv(text).map((e) => [e.key, e.value]));
      expect(ours, JSON.stringify(text)).toEqual({ ...parseWithDotenv(text) });
    }
  });

  it('reads a key named __proto__ as a key, and a 4 MiB hostile file in linear time', () => {
    expect(parseDotenv('__proto__=1\nconstructor=2')).toEqual([
      { key: '__proto__', value: '1' },
      { key: 'constructor', value: '2' },
    ]);
    const hostile = 'A="\\"x\n'.repeat(600_000);
    const started = performance.now();
    expect(parseDotenv(hostile).length).toBe(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
