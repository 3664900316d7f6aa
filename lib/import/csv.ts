/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF, a field in double quotes may
 * hold commas, line breaks and `""` for a quote. Every cell stays text: a cell such as
 * `=HYPERLINK(…)` is never evaluated, only stored (the "CSV injection" of OWASP is a danger when a
 * spreadsheet opens a file; here the file is only read).
 */
import { damaged } from './fail';

// Runs of text up to the next separator, record end or quote: sliced, not copied character by character.
const PLAIN = /[^,\r\n"]*/y;

export function parseCsv(source: string): string[][] {
  const text = source.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field: string;
    if (text[i] === '"') {
      // A quoted field: up to the next quote not doubled.
      const parts: string[] = [];
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) throw damaged('errImportCsvQuote', rows.length + 1);
        parts.push(text.slice(from, quote));
        if (text[quote + 1] === '"') {
          parts.push('"');
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      field = parts.join('');
      // Only a separator or the end may follow a closing quote.
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw damaged('errImportCsvQuote', rows.length + 1);
    } else {
      PLAIN.lastIndex = i;
      PLAIN.exec(text);
      field = text.slice(i, PLAIN.lastIndex);
      i = PLAIN.lastIndex;
      // A quote inside an unquoted field is kept as text, as most readers do.
      while (text[i] === '"') {
        PLAIN.lastIndex = i + 1;
        PLAIN.exec(text);
        field += text.slice(i, PLAIN.lastIndex);
        i = PLAIN.lastIndex;
      }
    }
    row.push(field);
    const c = text[i];
    if (c === ',') {
      i++;
      continue;
    }
    rows.push(row);
    row = [];
    if (c === undefined) break;
    i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    if (i >= text.length) break;
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
