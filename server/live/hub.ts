/**
 * Live updates: `GET /api/v1/live` upgraded to a WebSocket, over which the server tells a device
 * "something changed in your org" (the new change sequence number, never content) so it pulls at
 * once instead of polling (docs/server.md, "Live updates").
 *
 * The bearer token comes in the first message, not in the URL: URLs land in access logs and proxy
 * logs (OWASP Logging Cheat Sheet: never log session identifiers). No cookie or ambient credential
 * is involved, so a web page that opens this socket from another origin (Cross-Site WebSocket
 * Hijacking) learns nothing without a token.
 *
 * One timer sweeps every socket (no timer per connection, so a process holds thousands in little
 * memory): a socket that has not authenticated in time, or has been silent for too long (the client
 * pings every 20 s), is closed; a token is checked again every few minutes, so a revoked or expired
 * one stops receiving.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { resolveToken } from '../auth/tokens';
import { UUID_RE } from '../auth/middleware';
import type { Db } from '../db/types';
import type { Change } from './changes';

export const LIVE_PATH = '/api/v1/live';

/** Why the server closed a socket (4000–4999: this application's own codes, RFC 6455 §7.4.2). */
export const LiveClose = {
  /** No valid token, or the token was revoked or expired meanwhile: log in again, then reconnect. */
  unauthorized: 4401,
  /** The token's user is not a member of the org it named. */
  forbidden: 4403,
  /** No `auth` message in time, or a message that is not this protocol. */
  badRequest: 4400,
  /** Silent for too long (no ping): the client is gone or stuck. */
  idle: 4408,
  /** This process holds as many sockets as it may (RFC 6455 "try again later"). */
  full: 1013,
  /** The server is shutting down. */
  goingAway: 1001,
} as const;

export interface LiveOptions {
  /** Sockets one process holds at most (each costs memory even idle). */
  maxConnections?: number;
  authTimeoutMs?: number;
  /** A socket with no message from the client for this long is closed. */
  idleTimeoutMs?: number;
  /** How often an open socket's token is checked again. */
  recheckMs?: number;
  sweepMs?: number;
  /** Told of the number of open sockets whenever it changes (a metrics gauge). */
  onCount?: (open: number) => void;
}

interface Peer {
  socket: WebSocket;
  openedAt: number;
  lastSeen: number;
  token?: string;
  orgId?: string;
  checkedAt: number;
  checking: boolean;
}

/** The largest client message: an auth message with a 128-character token and an org id. */
const MAX_MESSAGE_BYTES = 1024;
/** A client that does not read its pokes is dropped before its send buffer grows. */
const MAX_BUFFERED_BYTES = 64 * 1024;

export interface LiveHub {
  /** For `http.on('upgrade')`: takes `/api/v1/live`, refuses anything else. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A change committed (from this process's `LISTEN`): poke the org's sockets. */
  changed(change: Change): void;
  /** Open sockets now, authenticated or not. */
  count(): number;
  /** Says goodbye to every socket (cut after a second), so the HTTP server can close. */
  close(): Promise<void>;
}

export function createLiveHub(db: Db, options: LiveOptions = {}): LiveHub {
  const maxConnections = options.maxConnections ?? 10_000;
  const authTimeoutMs = options.authTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const recheckMs = options.recheckMs ?? 5 * 60_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
  const peers = new Set<Peer>();
  const byOrg = new Map<string, Set<Peer>>();
  const counted = () => options.onCount?.(peers.size);

  const leave = (peer: Peer) => {
    if (!peers.delete(peer)) return;
    if (peer.orgId) {
      const set = byOrg.get(peer.orgId);
      set?.delete(peer);
      if (set?.size === 0) byOrg.delete(peer.orgId);
    }
    counted();
  };
  const send = (peer: Peer, message: object) => {
    if (peer.socket.bufferedAmount > MAX_BUFFERED_BYTES) return peer.socket.terminate();
    peer.socket.send(JSON.stringify(message));
  };

  const authenticate = async (peer: Peer, token: string, orgId: string) => {
    const found = await resolveToken(db, token, orgId).catch(() => null);
    if (peer.socket.readyState !== peer.socket.OPEN) return;
    if (!found) return peer.socket.close(LiveClose.unauthorized, 'unauthorized');
    if (!found.role) return peer.socket.close(LiveClose.forbidden, 'forbidden');
    peer.token = token;
    peer.orgId = orgId;
    peer.checkedAt = Date.now();
    let set = byOrg.get(orgId);
    if (!set) byOrg.set(orgId, (set = new Set()));
    set.add(peer);
    send(peer, { type: 'ready' });
  };

  const onMessage = (peer: Peer, data: Buffer, isBinary: boolean) => {
    peer.lastSeen = Date.now();
    let message: { type?: unknown; token?: unknown; org?: unknown };
    try {
      message = isBinary ? {} : (JSON.parse(data.toString('utf8')) as typeof message);
    } catch {
      message = {};
    }
    if (message?.type === 'ping') return send(peer, { type: 'pong' });
    if (message?.type === 'auth' && peer.token === undefined && !peer.checking) {
      const { token, org } = message;
      if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(token))
        return peer.socket.close(LiveClose.unauthorized, 'unauthorized');
      if (typeof org !== 'string' || !UUID_RE.test(org)) return peer.socket.close(LiveClose.badRequest, 'bad request');
      peer.checking = true;
      void authenticate(peer, token, org.toLowerCase()).finally(() => (peer.checking = false));
      return;
    }
    peer.socket.close(LiveClose.badRequest, 'bad request');
  };

  const recheck = async (peer: Peer) => {
    peer.checking = true;
    const found = await resolveToken(db, peer.token!, peer.orgId).catch(() => undefined);
    peer.checking = false;
    peer.checkedAt = Date.now();
    if (found === null || found?.role === null) peer.socket.close(LiveClose.unauthorized, 'unauthorized');
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const peer of peers) {
      if (peer.token === undefined && now - peer.openedAt > authTimeoutMs) peer.socket.close(LiveClose.badRequest, 'no auth');
      else if (now - peer.lastSeen > idleTimeoutMs) peer.socket.terminate();
      else if (peer.token !== undefined && !peer.checking && now - peer.checkedAt > recheckMs) void recheck(peer);
    }
  }, options.sweepMs ?? 5_000);
  sweep.unref();

  return {
    upgrade(request, socket, head) {
      const path = (request.url ?? '').split('?')[0];
      if (path !== LIVE_PATH || request.method !== 'GET') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (peers.size >= maxConnections) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        const now = Date.now();
        const peer: Peer = { socket: ws, openedAt: now, lastSeen: now, checkedAt: now, checking: false };
        peers.add(peer);
        counted();
        ws.on('message', (data, isBinary) => onMessage(peer, data as Buffer, isBinary));
        ws.on('close', () => leave(peer));
        ws.on('error', () => ws.terminate());
      });
    },
    changed(change) {
      const set = byOrg.get(change.orgId);
      if (!set) return;
      for (const peer of set) send(peer, { type: 'changed', seq: change.seq });
    },
    count: () => peers.size,
    async close() {
      clearInterval(sweep);
      for (const peer of peers) peer.socket.close(LiveClose.goingAway, 'server shutting down');
      // Sockets that do not answer the closing handshake within a second are cut.
      for (let waited = 0; peers.size > 0 && waited < 1000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      for (const peer of peers) peer.socket.terminate();
      wss.close();
    },
  };
}
