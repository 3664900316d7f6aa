import { VaultError } from './errors';
import { msg } from '../i18n';
import { parseDotenvValues } from './dotenv-rules';

/**
 * .env files as the `dotenv` package reads them (dotenv-rules.ts): `export `
 * prefixes, `#` comments, single/double/backtick quotes, `\n` escapes in double quotes and
 * multi-line quoted values. dotenv drops comments, so a small line scanner adds one thing on top:
 * `#` lines directly above a key become that secret's comment (what formatDotenv writes).
 */

export interface DotenvEntry {
  key: string;
  value: string;
  comment?: string;
}

const KEY_LINE = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)\s*(.*)$/;
/** dotenv's key syntax; other keys cannot be written to a .env file. */
const DOTENV_KEY = /^[\w.-]+$/;

export function parseDotenv(text: string): DotenvEntry[] {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const values = parseDotenvValues(source);
  const comments = scanComments(source);
  const entries: DotenvEntry[] = [];
  const seen = new Set<string>();
  // Order of appearance (the object dotenv returns puts integer-like keys first); the last
  // occurrence of a repeated key wins, as in dotenv.
  for (const key of [...comments.order, ...Object.keys(values)]) {
    if (seen.has(key) || !Object.hasOwn(values, key)) continue;
    seen.add(key);
    const entry: DotenvEntry = { key, value: values[key]! };
    const comment = comments.byKey.get(key);
    if (comment !== undefined) entry.comment = comment;
    entries.push(entry);
  }
  return entries;
}

function scanComments(source: string): { order: string[]; byKey: Map<string, string> } {
  const lines = source.split('\n');
  const order: string[] = [];
  const byKey = new Map<string, string>();
  let pending: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) {
      pending.push(line.trimStart().slice(1).replace(/^ /, ''));
      continue;
    }
    const match = KEY_LINE.exec(line);
    if (!match) {
      pending = [];
      continue;
    }
    const key = match[1]!;
    order.push(key);
    if (pending.length > 0) byKey.set(key, pending.join('\n'));
    else byKey.delete(key);
    pending = [];
    // Skip the continuation lines of a quoted multi-line value so they are not read as keys.
    const rest = match[2]!.trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      if (closingQuote(rest, 1, quote) === -1) {
        while (i + 1 < lines.length && closingQuote(lines[i + 1]!, 0, quote) === -1) i++;
        i++;
      }
    }
  }
  return { order, byKey };
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

// Values left bare: no spaces, quotes, #, backslashes or anything a shell would expand.
const BARE_VALUE = /^[\w.\-/:@+,=~%]+$/;

/**
 * Quotes a value so that dotenv's parse returns exactly it. dotenv has no escape for a backslash
 * or a quote character, so the quote style is chosen to avoid them:
 *   'single' (literal, may span lines)  → no ' and no CR, not ending in \
 *   "double" (\n and \r escapes)        → no " and no \
 *   `backtick` (literal, may span lines) → no ` and no CR, not ending in \
 * A trailing backslash inside quotes reads as an escaped closing quote, hence the last case.
 */
export function quoteDotenvValue(key: string, value: string): string {
  if (value === '') return "''";
  if (BARE_VALUE.test(value)) return value;
  if (!value.includes("'") && !value.includes('\r') && !value.endsWith('\\')) return `'${value}'`;
  if (!value.includes('"') && !value.includes('\\')) return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  if (!value.includes('`') && !value.includes('\r') && !value.endsWith('\\')) return `\`${value}\``;
  // Last resort, unquoted: dotenv keeps it verbatim (backslashes included) when it is one line
  // without # or surrounding spaces and does not start with a quote.
  if (/^[^\s'"`#][^#\r\n]*$/.test(value) && value.trimEnd() === value) return value;
  throw new VaultError('dotenv_unrepresentable', msg('errDotenvValue', key));
}

export function formatDotenv(entries: DotenvEntry[]): string {
  const out: string[] = [];
  for (const { key, value, comment } of entries) {
    if (!DOTENV_KEY.test(key)) {
      throw new VaultError('dotenv_unrepresentable', msg('errDotenvKey', key));
    }
    if (comment) {
      for (const line of comment.replace(/\r\n?/g, '\n').split('\n')) out.push(line === '' ? '#' : `# ${line}`);
    }
    out.push(`${key}=${quoteDotenvValue(key, value)}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
