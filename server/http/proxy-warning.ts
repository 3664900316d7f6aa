/**
 * Notices a reverse proxy nobody told the server about. With TRUST_PROXY unset, a proxy on this
 * host or the private network makes every client look like the proxy's own address: one client's
 * failed logins then lock everyone out, and one client's requests use up everyone's per-address
 * limit. A request that comes from a loopback or private peer AND carries X-Forwarded-For,
 * X-Real-IP or Forwarded is the sign. The server then writes a warning to its log (once) and
 * reports it in GET /healthz until it restarts, so a monitor can page someone.
 *
 * A public peer sending those headers is just a client (anyone can send them), so it says nothing.
 */
import { BlockList, isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log';
import type { AppEnv } from './env';
import { peerAddress } from './rate-limit';

/** Loopback and private ranges (RFC 1918, RFC 4193, RFC 6598 shared, link-local). */
const privateRanges = new BlockList();
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4');
privateRanges.addSubnet('169.254.0.0', 16, 'ipv4');
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

export function isLoopbackOrPrivate(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const bare = mapped ? mapped[1]! : address;
  const version = isIP(bare);
  if (version === 0) return false;
  return privateRanges.check(bare, version === 6 ? 'ipv6' : 'ipv4');
}

export const UNTRUSTED_PROXY_WARNING =
  'Requests with forwarded-address headers (X-Forwarded-For, X-Real-IP or Forwarded) arrive from a loopback or ' +
  'private address while TRUST_PROXY is unset: every client then counts as that proxy, so one client can lock ' +
  'everyone out. Set TRUST_PROXY to the number of reverse proxies in front of the server.';

export class ProxyWarning {
  /** The peer the first such request came from, or null while none has. */
  seenFrom: string | null = null;

  constructor(private readonly log: Logger) {}

  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      if (this.seenFrom === null && c.get('config').trustProxy === 0) {
        const forwarded = c.req.header('x-forwarded-for') ?? c.req.header('x-real-ip') ?? c.req.header('forwarded');
        if (forwarded !== undefined) {
          const peer = peerAddress(c);
          if (isLoopbackOrPrivate(peer)) {
            this.seenFrom = peer;
            this.log.warn({ peer, warning: 'untrusted_proxy' }, UNTRUSTED_PROXY_WARNING);
          }
        }
      }
      await next();
    };
  }

  /** What /healthz adds while the warning stands. */
  healthWarnings(): { code: string; message: string }[] {
    return this.seenFrom === null ? [] : [{ code: 'untrusted_proxy', message: UNTRUSTED_PROXY_WARNING }];
  }
}
