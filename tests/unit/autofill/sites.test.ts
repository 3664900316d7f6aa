import { describe, expect, it } from 'vitest';
import { checkSites, matchesSite, parseOrigin } from '../../../lib/autofill/sites';
import { VaultError } from '../../../lib/vault/errors';

describe('autofill sites', () => {
  it('reads what a user types as an origin: https assumed, path and query dropped, only http(s)', () => {
    expect(parseOrigin('example.com')).toBe('https://example.com');
    expect(parseOrigin(' https://Example.COM:443/login?next=/ ')).toBe('https://example.com');
    expect(parseOrigin('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
    for (const bad of [
      '',
      'not a site',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'chrome-extension://abc/',
      'https://user:pw@example.com',
      'data:text/html,x',
      'https://',
    ]) {
      expect(parseOrigin(bad), bad).toBeUndefined();
    }
  });

  it('matches scheme, host and port exactly; subdomains only when asked, and never a look-alike host', () => {
    const exact = { origin: 'https://example.com', subdomains: false };
    const wide = { origin: 'https://example.com', subdomains: true };
    expect(matchesSite(exact, 'https://example.com')).toBe(true);
    expect(matchesSite(exact, 'https://example.com:443')).toBe(true);
    expect(matchesSite(exact, 'http://example.com')).toBe(false); // no downgrade to http
    expect(matchesSite(exact, 'https://example.com:8443')).toBe(false);
    expect(matchesSite(exact, 'https://login.example.com')).toBe(false);
    expect(matchesSite(wide, 'https://login.example.com')).toBe(true);
    expect(matchesSite(wide, 'https://a.b.example.com')).toBe(true);
    expect(matchesSite(wide, 'https://evil-example.com')).toBe(false);
    expect(matchesSite(wide, 'https://example.com.evil.net')).toBe(false);
    expect(matchesSite(wide, 'http://login.example.com')).toBe(false);
    expect(matchesSite(exact, 'null')).toBe(false); // a sandboxed frame's opaque origin
  });

  it('normalises a list and refuses bad entries with the field named', () => {
    expect(
      checkSites([
        { origin: 'example.com/a' },
        { origin: 'https://example.com', subdomains: 'yes' },
        { origin: 'x.dev', field: ' api_key ' },
      ]),
    ).toEqual([
      { origin: 'https://example.com', subdomains: false },
      { origin: 'https://x.dev', subdomains: false, field: 'api_key' },
    ]);
    expect(checkSites(undefined)).toEqual([]);
    const refused = (raw: unknown) => {
      try {
        checkSites(raw, 'keyValuePairs[0].autofill');
      } catch (error) {
        return error instanceof VaultError ? `${error.code} ${error.field} ${error.message}` : String(error);
      }
      return 'accepted';
    };
    expect(refused('example.com')).toMatch(/^invalid_input keyValuePairs\[0\]\.autofill .*websites must be a list/);
    expect(refused([{ origin: 'ftp://example.com' }])).toMatch(/“ftp:\/\/example.com” is not a website address/);
    expect(refused([{}])).toMatch(/is not a website address/);
    expect(refused([{ origin: 'a.dev', field: 'x\ny' }])).toMatch(/one line/);
    expect(refused(Array.from({ length: 21 }, (_, i) => ({ origin: `s${i}.dev` })))).toMatch(/at most 20 websites/);
  });
});
