import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { MAX_IMPORT_BYTES, readImport } from '../../../lib/import';
import { parseCsv } from '../../../lib/import/csv';
import { fixture, failure, text } from './helpers';

describe('damaged and hostile files are refused with a message, or read as text', () => {
  it('refuses a file over 16 MiB before reading it', async () => {
    const huge = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41);
    const started = performance.now();
    const error = await failure(readImport(huge, { format: 'dotenv' }));
    expect([error.code, error.message]).toEqual([
      'import_damaged',
      'This file is larger than 16 MiB: split the export and import it in parts',
    ]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses JSON nested deeper than any export, without overflowing the stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const format of ['bitwarden', 'infisical', 'doppler'] as const) {
      expect((await failure(readImport(text(deep), { format }))).message).toMatch(/nests more than 64 levels/);
    }
    const deepItem = `{"encrypted":false,"items":[{"type":1,"name":"x","fields":${'['.repeat(70)}${']'.repeat(70)}}]}`;
    expect((await failure(readImport(text(deepItem)))).code).toBe('import_damaged');
  });

  it('refuses truncated, empty and mislabelled files', async () => {
    const bitwarden = new TextDecoder().decode(fixture('bitwarden.json'));
    const cases: [Uint8Array, object, RegExp][] = [
      [text(bitwarden.slice(0, 500)), {}, /not valid JSON/],
      [text(''), {}, /empty/],
      [text('{"encrypted":false}'), { format: 'bitwarden' }, /not a Bitwarden export/],
      [text('{"A":1}'), { format: 'phase' }, /not a Phase export/],
      [text('[{"value":"x"}]'), { format: 'infisical' }, /not a Infisical export|not a Infisical/],
      [text('{"A":[1]}'), { format: 'doppler' }, /not a Doppler export/],
      [fixture('1password.1pux').slice(0, 300), {}, /not a readable zip/],
      [zipSync({ 'other.txt': text('x') }), {}, /no export.data/],
      [zipSync({ 'export.data': text('{"accounts":{}}') }), {}, /not a 1PUX export/],
      [text('Title,Password\n"unclosed,x\n'), {}, /Row 2 of the CSV file/],
      [text('Name,Secret\na,b\n'), { format: 'onepassword-csv' }, /no Title and Password columns/],
      [new Uint8Array([0x41, 0x3d, 0xff, 0xfe]), { format: 'dotenv' }, /not UTF-8 text/],
      [text('just some words\nno keys here'), {}, /No secrets found/],
    ];
    for (const [bytes, options, message] of cases) {
      const error = await failure(readImport(bytes, options));
      expect([message.source, error.code]).toEqual([message.source, 'import_damaged']);
      expect(error.message).toMatch(message);
    }
  });

  it('reads a zip bomb without inflating it: only export.data is opened, and its declared size is capped', async () => {
    // 80 MiB of zeros (over the 64 MiB cap) compress to about 80 KiB.
    const bomb = zipSync({ 'export.data': new Uint8Array(80 * 1024 * 1024) }, { level: 1 });
    expect(bomb.length).toBeLessThan(MAX_IMPORT_BYTES);
    const started = performance.now();
    expect((await failure(readImport(bomb))).message).toBe(
      "This 1PUX file's export.data unpacks to more than 64 MiB: export fewer vaults at a time",
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    // An attachment bomb next to a real export.data is never inflated.
    const data = (await import('fflate')).unzipSync(fixture('1password.1pux'))['export.data']!;
    const withBomb = zipSync({ 'export.data': data, 'files/big.bin': new Uint8Array(20 * 1024 * 1024) }, { level: 1 });
    expect((await readImport(withBomb)).secrets.length).toBe(5);
  }, 30_000);

  it('keeps names with ../ as keys and never lets a folder climb above the base path', async () => {
    const file = {
      encrypted: false,
      folders: [
        { id: 'f', name: '../../../..' },
        { id: 'g', name: '/./a/../b/' },
      ],
      items: [
        { type: 2, name: '../../etc/passwd', notes: 'v1', folderId: 'f' },
        { type: 2, name: 'x', notes: 'v2', folderId: 'g' },
        { type: 2, name: 'ctrl\u0000\u001b[31m', notes: 'v3', folderId: null },
      ],
    };
    const r = await readImport(text(JSON.stringify(file)), { basePath: '/base' });
    expect(r.secrets.map((s) => [s.path, s.key])).toEqual([
      ['/base/_/_/_/_', '../../etc/passwd'],
      ['/base/_/a/_/b', 'x'],
      ['/base', 'ctrl [31m'],
    ]);
    for (const s of r.secrets) expect(s.path.startsWith('/base')).toBe(true);
  });

  it('reads __proto__ and constructor as names like any other (no prototype pollution)', async () => {
    const r = await readImport(text('{"__proto__": "p", "constructor": "c", "toString": "t"}'), { format: 'phase' });
    expect(r.secrets.map((s) => [s.key, s.value])).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['toString', 't'],
    ]);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
    const org = {
      encrypted: false,
      collections: [{ id: 'c1', name: 'Team/../Ops' }],
      items: [{ type: 2, name: 'n', notes: 'v', collectionIds: ['c1'] }],
    };
    expect((await readImport(text(JSON.stringify(org)))).secrets[0]!.path).toBe('/Team/_/Ops');
  });

  it('parses RFC 4180 CSV: quotes, doubled quotes, CRLF and LF, line breaks inside quotes, formulas as text', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n"multi\nline",=1+1,@SUM(A1)\n-2,+3,"=HYPERLINK(""u"")"')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['multi\nline', '=1+1', '@SUM(A1)'],
      ['-2', '+3', '=HYPERLINK("u")'],
    ]);
    expect(parseCsv('\uFEFFa,b\n\n')).toEqual([['a', 'b']]);
    expect(() => parseCsv('"a"b,c')).toThrow(/Row 1/);
    // Linear time: 12 MiB of quoted cells with doubled quotes and line breaks.
    const big = Array.from({ length: 20_000 }, (_, n) => `"t${n}","p,""${n}""","${'x'.repeat(600)}\nline"`).join('\r\n');
    const started = performance.now();
    expect(parseCsv(big).length).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(parseCsv('a"b,c\nd')).toEqual([['a"b', 'c'], ['d']]);
  });
});
