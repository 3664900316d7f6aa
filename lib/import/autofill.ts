import { MAX_TARGETS, parseOrigin, type AutofillTarget } from '../autofill/targets';

/**
 * An item's web addresses as autofill targets: http(s) origins only (an `androidapp://` or `ssh://`
 * address is no place to fill), exact origin as Keysmith fills by default, repeats dropped.
 */
export function targets(urls: string[]): AutofillTarget[] {
  const origins = [...new Set(urls.map((u) => parseOrigin(u)).filter((o): o is string => o !== undefined))];
  return origins.slice(0, MAX_TARGETS).map((origin) => ({ origin, subdomains: false }));
}
