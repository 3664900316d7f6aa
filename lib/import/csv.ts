/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF, a field in double quotes may
 * hold commas, line breaks and `""` for a quote. Every cell stays text: a cell such as
 * `=HYPERLINK(…)` is never evaluated, only stored (the "CSV injection" of OWASP is a danger when a
 * spreadsheet opens a file; here the file is only read).
 */
import { damaged } from './fail';

export function parseCsv(source: string): string[][] {
  const text = source.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        // Only a separator or the end may follow a closing quote.
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw damaged('errImportCsvQuote', rows.length + 1);
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw damaged('errImportCsvQuote', rows.length + 1);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
