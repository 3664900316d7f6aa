// Where a secret may be filled: its sites, and whether a page's origin is one of them.
import { invalid } from '../vault/errors';

/**
 * One website a secret may be filled on. By default an exact origin (scheme, host and port, as the browser's
 * same-origin policy compares them: RFC 6454); `subdomains` widens it to hosts below that one, on the
 * same scheme and port, only when the user asks for it.
 */
export interface FillSite {
  origin: string;
  subdomains: boolean;
  /** Fill the field with this name, id or autocomplete token, when the page has one visible. */
  field?: string;
}

export const MAX_SITES = 20;
const MAX_FIELD_LENGTH = 128;

/**
 * The origin of what a user typed: `https://example.com/login` or `example.com` (https assumed) give
 * `https://example.com`. Only http and https: a secret never goes to `file:`, `data:` or an extension.
 */
export function parseOrigin(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '' || /\s/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  return url.origin;
}

/** Checks and normalises a list of sites from a page: origins as `parseOrigin` reads them, no repeats. */
export function checkSites(raw: unknown, field = 'autofill'): FillSite[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid(field, 'errAutofillList');
  if (raw.length > MAX_SITES) throw invalid(field, 'errAutofillTooMany', MAX_SITES);
  const out: FillSite[] = [];
  for (const item of raw as unknown[]) {
    const t = (item ?? {}) as Partial<Record<keyof FillSite, unknown>>;
    const origin = typeof t.origin === 'string' ? parseOrigin(t.origin) : undefined;
    if (!origin) throw invalid(field, 'errAutofillOrigin', typeof t.origin === 'string' ? t.origin : '');
    const name = typeof t.field === 'string' ? t.field.trim() : '';
    if (name.length > MAX_FIELD_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) throw invalid(field, 'errAutofillField', MAX_FIELD_LENGTH);
    const site: FillSite = { origin, subdomains: t.subdomains === true };
    if (name !== '') site.field = name;
    if (!out.some((o) => o.origin === site.origin && o.field === site.field)) out.push(site);
  }
  return out;
}

/**
 * Whether a document of `pageOrigin` is on the site. Scheme and port must be equal
 * (a site on https never matches the same host on http: no downgrade); the host must be equal, or
 * end with "." + the site's host when `subdomains` is set (so `evil-example.com` never matches).
 */
export function matchesSite(site: FillSite, pageOrigin: string): boolean {
  let page: URL;
  let want: URL;
  try {
    page = new URL(pageOrigin);
    want = new URL(site.origin);
  } catch {
    return false;
  }
  if (page.protocol !== want.protocol || page.port !== want.port) return false;
  if (page.hostname === want.hostname) return true;
  return site.subdomains && page.hostname.endsWith(`.${want.hostname}`);
}

export function matchesAny(sites: readonly FillSite[] | undefined, pageOrigin: string): boolean {
  return (sites ?? []).some((s) => matchesSite(s, pageOrigin));
}
