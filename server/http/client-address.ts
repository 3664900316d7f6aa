/**
 * Which address a request comes from, for the per-address rate limit and the login throttle.
 *
 * Without a reverse proxy (`TRUST_PROXY=0`, the default) it is the TCP peer, and X-Forwarded-For
 * is ignored: anyone can send that header, and a client that could name its own address could
 * pick a fresh rate-limit bucket (and a fresh login-failure count) for every request.
 *
 * Behind N reverse proxies (`TRUST_PROXY=N`) each proxy appends the address it received the
 * request from to X-Forwarded-For, as RFC 7239 describes for its `for=` list (§4, §5.2): the list
 * reads left to right from the client towards the server, repeated header fields form one list
 * (§7.1), and only entries added by proxies you trust can be believed (§8.1). So the rightmost N
 * entries were written by our own proxies and the N-th from the right is the address the outermost
 * of them saw connect; anything further left came from the client and may be forged. This is
 * OWASP ASVS 5.0 V4.1.3 and V15.3.4: take the client's address only from fields the end user
 * cannot set, and use that value for security decisions such as rate limiting.
 */
import { isIP } from 'node:net';

/**
 * The client address for a request that reached us from `peer` carrying `forwardedFor` (every
 * X-Forwarded-For field, comma-joined) through `trustedHops` proxies. Falls back to the peer when
 * nothing is trusted, when the header is missing or shorter than the number of hops (the request
 * did not come through all our proxies), or when the chosen entry is not an IP address.
 */
export function clientAddressFrom(forwardedFor: string | null | undefined, trustedHops: number, peer: string): string {
  if (trustedHops <= 0 || !forwardedFor) return peer;
  const entries = forwardedFor.split(',').map((entry) => entry.trim());
  if (entries.length < trustedHops) return peer;
  return normaliseAddress(entries[entries.length - trustedHops]!) ?? peer;
}

/**
 * An X-Forwarded-For entry as a bare IP address: some proxies add a port (`203.0.113.7:4711`,
 * `[2001:db8::1]:4711`) or brackets; IPv6 is lower-cased so one address is one bucket.
 * Null for anything that is not an address (`unknown`, an obfuscated RFC 7239 identifier, empty).
 */
function normaliseAddress(entry: string): string | null {
  let address = entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const version = isIP(address);
  if (version === 0) return null;
  return version === 6 ? address.toLowerCase() : address;
}

/**
 * The bucket an address is counted in by the per-address rate limit, the login throttle and the
 * registration limit. IPv4: the address itself (an IPv4-mapped IPv6 address, `::ffff:a.b.c.d`, is
 * that IPv4 address). IPv6: its /64, since one subscriber or host is routinely handed a whole /64
 * (RFC 6177 §2, RFC 7934 §6) and picks addresses in it at will (privacy addresses, RFC 8981); per
 * /128, one client would have 2^64 fresh counters. Anything else (`unknown`) is its own bucket.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const hextets = expandIpv6(address.toLowerCase());
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    return [hextets[6]! >> 8, hextets[6]! & 255, hextets[7]! >> 8, hextets[7]! & 255].join('.');
  }
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (zone and `::` handled, an IPv4 tail made two groups). */
function expandIpv6(address: string): number[] {
  const bare = address.split('%')[0]!;
  const groups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head, tail] = bare.split('::') as [string, string | undefined];
  if (tail === undefined) return groups(head);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
