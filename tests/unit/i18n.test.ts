import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { english, formatMessage, msg, type LocaleEntry } from '../../lib/i18n';

const ROOT = join(import.meta.dirname, '../..');
const LOCALES = join(ROOT, 'public/_locales');
const load = (lang: string) => JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8')) as Record<string, LocaleEntry>;
const en = load('en');
const fr = load('fr');

/** The placeholders a message uses, with what each stands for. */
const placeholdersOf = (entry: LocaleEntry) =>
  [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)]
    .map((m) => `${m[1]!.toLowerCase()}=${entry.placeholders?.[m[1]!.toLowerCase()]?.content}`)
    .sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(ROOT, dir, f));
}

describe('locales', () => {
  it('ships English and French, with the same keys in both', () => {
    expect(readdirSync(LOCALES).sort()).toEqual(['en', 'fr']);
    expect(Object.keys(fr).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in fr))).toEqual([]);
  });

  it('uses names browsers accept, unique regardless of case, and no empty message', () => {
    const keys = Object.keys(en);
    expect(keys.filter((k) => !/^[A-Za-z0-9_@]+$/.test(k))).toEqual([]);
    expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(keys.length);
    for (const messages of [en, fr]) expect(Object.entries(messages).filter(([, e]) => !e.message.trim())).toEqual([]);
  });

  it('gives each French message the placeholders of its English one, each defined', () => {
    const differ = Object.keys(en).filter((k) => placeholdersOf(en[k]!).join() !== placeholdersOf(fr[k]!).join());
    expect(differ).toEqual([]);
    const undefinedOnes = [en, fr].flatMap((m) =>
      Object.entries(m).flatMap(([k, e]) =>
        placeholdersOf(e)
          .filter((p) => p.endsWith('=undefined'))
          .map((p) => `${k}:${p}`),
      ),
    );
    expect(undefinedOnes).toEqual([]);
  });

  it('translates every message: French equals English only where the words are names or symbols', () => {
    const same = Object.keys(en)
      .filter((k) => en[k]!.message === fr[k]!.message)
      .sort();
    expect(same).toEqual(
      [
        'extName',
        'fieldIv',
        'fieldTag',
        'genNanoid21',
        'genUuid',
        'keySizeBits',
        'secretRegion',
        'secretsLabel',
        'typeNanoid',
        'typeUuid',
        'durationMinuteOne',
        'durationMinuteOther',
        'syncSafeEnv',
      ].sort(),
    );
  });

  it('uses every message somewhere in the extension', () => {
    const code = [...sourceFiles('components'), ...sourceFiles('entrypoints'), ...sourceFiles('lib'), join(ROOT, 'wxt.config.ts')]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(Object.keys(en).filter((k) => !code.includes(`'${k}'`) && !code.includes(`__MSG_${k}__`))).toEqual([]);
  });

  it('formats substitutions the way browsers do', () => {
    const entry = { message: 'Delete $KEY$ from $PATH$? $$5', placeholders: { key: { content: '$1' }, path: { content: '$2' } } };
    expect(formatMessage(entry, ['API_KEY', '/api'])).toBe('Delete API_KEY from /api? $5');
    expect(english(msg('errKdfTooHigh', 'passes', '64', msg('unitArgonPasses'), '65'))).toBe(
      'KDF passes must be at most 64 Argon2id passes (got 65)',
    );
  });
});

/**
 * Words a user reads must come from the locales. This reads every component and page as the
 * compiler sees it and reports, with file and line: text between JSX tags, a literal in an
 * attribute people read (label, placeholder, aria-label…), and a literal shown from a JSX
 * expression or given to a `label`/`title`/`message` property.
 */
describe('components', () => {
  const SHOWN_ATTRIBUTES = new Set([
    'aria-label',
    'title',
    'placeholder',
    'alt',
    'label',
    'legend',
    'hint',
    'what',
    'emptyMessage',
    'message',
  ]);
  const SHOWN_PROPERTIES = new Set(['label', 'title', 'message', 'hint']);
  // A word in lower case: acronyms and standards (RSA, PKCS#8, PBKDF2-HMAC-SHA256) read the same in every language.
  const words = /[a-z]{2,}/;
  const isKey = (s: string) => s in en;
  const PASSING_ON = new Set([
    ts.SyntaxKind.AmpersandAmpersandToken,
    ts.SyntaxKind.BarBarToken,
    ts.SyntaxKind.QuestionQuestionToken,
    ts.SyntaxKind.PlusToken,
  ]);

  function literalsShown(file: string, content = readFileSync(file, 'utf8')): string[] {
    const source = ts.createSourceFile(
      file,
      content,
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const found: string[] = [];
    const report = (node: ts.Node, what: string) =>
      found.push(`${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
    /** Whether the value of `node` ends up on screen: it flows, through ?:, &&, ||, ?? or +, into a JSX child or shown attribute. */
    const shownFromJsx = (node: ts.Node): boolean => {
      for (let at = node, up = node.parent; up; at = up, up = up.parent) {
        if (ts.isJsxExpression(up)) return !ts.isJsxAttribute(up.parent) || SHOWN_ATTRIBUTES.has(up.parent.name.getText());
        if (ts.isConditionalExpression(up) && up.condition === at) return false;
        if (ts.isBinaryExpression(up) && !PASSING_ON.has(up.operatorToken.kind)) return false;
        if (
          !(
            ts.isConditionalExpression(up) ||
            ts.isBinaryExpression(up) ||
            ts.isParenthesizedExpression(up) ||
            ts.isTemplateExpression(up) ||
            ts.isTemplateSpan(up)
          )
        )
          return false;
      }
      return false;
    };
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node) && words.test(node.text)) report(node, JSON.stringify(node.text.trim()));
      if (
        ts.isJsxAttribute(node) &&
        node.initializer &&
        ts.isStringLiteral(node.initializer) &&
        SHOWN_ATTRIBUTES.has(node.name.getText()) &&
        words.test(node.initializer.text)
      ) {
        report(node, `${node.name.getText()}=${JSON.stringify(node.initializer.text)}`);
      }
      if (
        (ts.isStringLiteral(node) ||
          ts.isNoSubstitutionTemplateLiteral(node) ||
          ts.isTemplateHead(node) ||
          ts.isTemplateMiddle(node) ||
          ts.isTemplateTail(node)) &&
        words.test(node.text) &&
        !isKey(node.text)
      ) {
        const property =
          ts.isPropertyAssignment(node.parent) && node.parent.initializer === node && SHOWN_PROPERTIES.has(node.parent.name.getText());
        if (property || shownFromJsx(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node : node.parent))
          report(node, JSON.stringify(node.text));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  it('show no word that is not from the locales', () => {
    const files = [...sourceFiles('components'), ...sourceFiles('entrypoints')];
    expect(files.length).toBeGreaterThan(30);
    expect(files.flatMap((f) => literalsShown(f))).toEqual([]);
  });

  it('would notice a hard-coded word in text, an attribute, a shown expression or a label (the check can fail)', () => {
    const probe = join(ROOT, 'components/ui/CopyButton.tsx');
    const original = readFileSync(probe, 'utf8');
    const swaps: [string, string][] = [
      ["aria-label={t('copyWhat', what)}", 'aria-label="Copy it"'],
      ["{state === 'copied' ? t('copied')", "{state === 'copied' ? 'Copied'"],
      [": t('copy')}", ": t('copy')} now"],
    ];
    for (const [from, to] of swaps) {
      expect(original).toContain(from);
      expect(literalsShown(probe, original.replace(from, to))).toEqual([expect.stringContaining('CopyButton.tsx')]);
    }
    expect(literalsShown(probe, `${original}\nconst CHOICES = [{ value: 'a', label: 'Overwrite it' }];`)).toHaveLength(1);
  });
});
