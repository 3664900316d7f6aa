/**
 * The server address the user typed, as the extension can reach it. A server on this machine's
 * IPv6 loopback prints `http://[::1]:PORT`, but Chromium refuses an IPv6 literal as a CSP source
 * (CSP3's host-source grammar has no brackets; wxt.config.ts), so no extension page or worker
 * could connect to it. `localhost` is the same machine (RFC 6761 §6.3: Chromium and Firefox answer
 * it themselves with ::1 and 127.0.0.1, never by DNS) and the CSP lists it, so sync uses that.
 * Only plain http: an https server's certificate names the address it was made for.
 */
export function reachableServerUrl(typed: string): string {
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch {
    return typed; // the background says what is wrong with it
  }
  if (url.protocol !== 'http:' || url.hostname !== '[::1]') return typed;
  url.hostname = 'localhost';
  return url.href;
}
