/**
 * dotenv's `parse`, without the package: dotenv's entry point also loads files and so imports
 * Node's `fs`, `path`, `os` and `crypto`, which a browser bundle cannot carry (Vite stubs them and
 * warns). The rules below are dotenv's documented ones, with the same line expression
 * (https://github.com/motdotla/dotenv, "What rules does the parsing engine follow?", BSD-2-Clause):
 * `KEY=value` or `KEY: value`, an optional `export ` prefix, `#` starting a comment outside quotes,
 * single, double or backtick quotes that may span lines, `\n` and `\r` expanded inside double
 * quotes only, surrounding spaces trimmed from unquoted values, and the last of a repeated key wins.
 */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

export function parseDotenvValues(text: string): Record<string, string> {
  // A prototype-less object: a key named `__proto__` is a key like any other.
  const values = Object.create(null) as Record<string, string>;
  const source = text.replace(/\r\n?/g, '\n');
  const line = new RegExp(LINE.source, LINE.flags);
  let match: RegExpExecArray | null;
  while ((match = line.exec(source)) !== null) {
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    values[match[1]!] = value;
  }
  return values;
}
