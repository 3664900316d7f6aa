import { MAX_SITES, parseOrigin, type FillSite } from '../autofill/sites';

/**
 * An item's web addresses as the sites a secret fills on: http(s) origins only (an `androidapp://` or `ssh://`
 * address is no web page), exact origin as Keysmith fills by default, repeats dropped.
 */
export function sitesOf(urls: string[]): FillSite[] {
  const origins = [...new Set(urls.map((u) => parseOrigin(u)).filter((o): o is string => o !== undefined))];
  return origins.slice(0, MAX_SITES).map((origin) => ({ origin, subdomains: false }));
}
