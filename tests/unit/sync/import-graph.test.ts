// Which way the code depends: sync is built over the vault (through lib/vault/port.ts), never the
// vault over sync; and lib/ runs in Node, so it never reaches into the extension's entrypoints or
// the server (docs/architecture.md, "The parts" and "Sync"). Read from the sources themselves, with
// the TypeScript compiler's own import scanner, so a comment naming lib/sync is no import and an
// `export … from` or a dynamic import() is one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const posix = (path: string) => normalize(path).split(sep).join('/');

interface Source {
  /** Relative to the repository, with `/`. */
  path: string;
  text: string;
}

/** Where each import of a file points, relative to the repository (WXT's `@/`, `~/`, `@@/`, `~~/` are the root). */
function importsOf(source: Source): string[] {
  const { importedFiles } = ts.preProcessFile(source.text, true, true);
  return importedFiles.map(({ fileName }) => {
    const alias = /^(@@|~~|@|~)\//.exec(fileName);
    if (alias) return posix(fileName.slice(alias[0].length));
    if (!fileName.startsWith('.')) return fileName; // a package
    return posix(join(dirname(source.path), fileName));
  });
}

/** Every import from a file under `from` to a file under one of `to`, as "file → imported file". */
function crossings(sources: Source[], from: string, to: string[]): string[] {
  const out: string[] = [];
  for (const source of sources.filter((s) => s.path.startsWith(from))) {
    for (const imported of importsOf(source)) {
      if (to.some((dir) => imported === dir.replace(/\/$/, '') || imported.startsWith(dir))) out.push(`${source.path} → ${imported}`);
    }
  }
  return out;
}

function sourcesUnder(dir: string): Source[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts|js|mjs)$/.test(f))
    .map((f) => {
      const path = posix(relative(ROOT, join(ROOT, dir, f)));
      return { path, text: readFileSync(join(ROOT, path), 'utf8') };
    });
}

describe('the import graph', () => {
  const lib = sourcesUnder('lib');

  it('reads the sources it speaks of (lib/sync is built over lib/vault)', () => {
    expect(lib.map((s) => s.path)).toContain('lib/vault/vault.ts');
    expect(crossings(lib, 'lib/sync/', ['lib/vault/'])).toContain('lib/sync/local.ts → lib/vault/port');
  });

  it('no file of lib/vault imports lib/sync: sync goes through the vault port', () => {
    expect(crossings(lib, 'lib/vault/', ['lib/sync/'])).toEqual([]);
  });

  it('lib/ never imports the entrypoints or the server', () => {
    expect(crossings(lib, 'lib/', ['entrypoints/', 'server/'])).toEqual([]);
  });

  it('counts every form of import, and no comment', () => {
    const vault = (text: string): Source[] => [{ path: 'lib/vault/x.ts', text }];
    const toSync = (text: string) => crossings(vault(text), 'lib/vault/', ['lib/sync/']);
    expect(toSync(`import { a } from '../sync/outbound';`)).toEqual(['lib/vault/x.ts → lib/sync/outbound']);
    expect(toSync(`import type { A } from "../sync/items";`)).toHaveLength(1);
    expect(toSync(`export { a } from '../sync/items';`)).toHaveLength(1);
    expect(toSync(`export * from '../sync';`)).toEqual(['lib/vault/x.ts → lib/sync']);
    expect(toSync(`const m = await import('../sync/engine');`)).toHaveLength(1);
    expect(toSync(`import '@/lib/sync/engine';`)).toHaveLength(1);
    expect(toSync(`import { b } from './../../lib/sync/prune';`)).toHaveLength(1);
    expect(toSync(`// the engine (lib/sync/engine.ts) calls this\nimport { c } from './outbox';`)).toEqual([]);
    expect(toSync(`import { d } from '../syncing/x';`)).toEqual([]);
    expect(crossings([{ path: 'lib/x.ts', text: `import s from '../server/app';` }], 'lib/', ['server/'])).toHaveLength(1);
  });
});
