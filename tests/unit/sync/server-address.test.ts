import { describe, expect, it } from 'vitest';
import { checkServerUrl } from '../../../lib/sync/account';
import { reachableServerUrl } from '../../../lib/sync/server-address';

describe('reachableServerUrl: the address sync uses for what the user typed', () => {
  it.each([
    ['http://[::1]:8787', 'http://localhost:8787'],
    ['  http://[::1]:8787/  ', 'http://localhost:8787'],
    ['http://[0:0:0:0:0:0:0:1]:9000', 'http://localhost:9000'],
    ['http://[::1]', 'http://localhost'],
  ])('%j, the IPv6 loopback a server prints, is reached as %s', (typed, origin) => {
    expect(checkServerUrl(typed)).toBe(origin);
  });

  it.each(['http://127.0.0.1:8787', 'https://[::1]:8443', 'https://sync.example.com', 'http://[::2]:8787', 'not a url', ''])(
    '%j is sent as typed',
    (typed) => {
      expect(reachableServerUrl(typed)).toBe(typed);
    },
  );
});
