// The device's end of the server's live updates (GET /api/v1/live, docs/architecture.md "Sync"): one
// WebSocket while unlocked and linked, over which the server says "something changed" so the device
// pulls at once instead of asking on a timer. Given a WebSocket constructor, so it runs in Node too.
//
// - The token goes in the first message, never in the URL (URLs land in server and proxy logs).
// - A ping every 20 s: an MV3 service worker stays alive while a message crosses a WebSocket at
//   least every 30 s (Chrome, "Use WebSockets in service workers"), and proxies keep the socket.
// - Lost: reconnect with backoff (at most 30 s apart, so a server that comes back is noticed soon);
//   every time the server says "ready" again, the device syncs at once (changes made while away).
import { backoffMs } from './backoff';

/** What this file uses of a browser WebSocket (and of the `ws` package's, in Node). */
export interface LiveSocket {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

export interface LiveSession {
  serverUrl: string;
  token: string;
  orgId: string;
}

export interface LiveOptions {
  WebSocket: new (url: string) => LiveSocket;
  /** Where and as whom to connect; none while locked or not linked (then it stays closed). */
  session(): Promise<LiveSession | undefined>;
  /** Authenticated, on the first connection and every reconnection: sync now (anything missed meanwhile). */
  onReady(): void;
  /** The server says the org changed. */
  onChange(seq: number): void;
  /** The server refused the token (revoked, expired): get a fresh one before the next try. */
  onRefused(): Promise<void>;
  random?: () => number;
  pingMs?: number;
  /** No message from the server for this long: the socket is dead though not closed. */
  silenceMs?: number;
  /** Longest wait between reconnection attempts. */
  maxBackoffMs?: number;
}

export const LIVE_PATH = '/api/v1/live';
const PING_MS = 20_000;
const SILENCE_MS = 50_000;
const MAX_BACKOFF_MS = 30_000;
/** The server's close codes for a refused token or membership (server/live/hub.ts). */
const REFUSED = new Set([4401, 4403]);
const OPEN = 1;

/** `https://host/x` → `wss://host/x/api/v1/live` (and http → ws). */
export function liveUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = url.pathname.replace(/\/+$/, '') + LIVE_PATH;
  return url.toString();
}

export class LiveConnection {
  private socket: LiveSocket | undefined;
  private wanted = false;
  private ready = false;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private ping: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  /** Each socket gets a number; events of an older one are ignored. */
  private generation = 0;
  /** Asking for the session, before there is a socket. */
  private connecting = false;

  constructor(private readonly o: LiveOptions) {}

  /** Keep a connection open from now on (no-op if one is open or opening). */
  start(): void {
    this.wanted = true;
    if (this.socket || this.retry || this.connecting) return;
    void this.connect();
  }

  /** Close it and stay closed (lock, sign-out). */
  stop(): void {
    this.wanted = false;
    this.failures = 0;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.drop();
  }

  /** Connected and authenticated now. */
  get connected(): boolean {
    return this.ready;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    let session: LiveSession | undefined;
    this.connecting = true;
    try {
      session = await this.o.session();
    } catch {
      // A failed login (server down, refused): try again later.
      if (generation === this.generation && this.wanted) this.later();
      return;
    } finally {
      this.connecting = false;
    }
    if (generation !== this.generation || !this.wanted) return;
    if (!session) return void (this.wanted = false); // locked or not linked: wait for start()
    let socket: LiveSocket;
    try {
      socket = new this.o.WebSocket(liveUrl(session.serverUrl));
    } catch {
      return this.later(); // a URL the browser refuses (CSP): try again later all the same
    }
    this.socket = socket;
    const { token, orgId } = session;
    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.lastHeard = Date.now();
      socket.send(JSON.stringify({ type: 'auth', token, org: orgId }));
      this.ping = setInterval(() => this.beat(socket), this.o.pingMs ?? PING_MS);
    };
    socket.onmessage = (event) => {
      if (generation !== this.generation) return;
      this.lastHeard = Date.now();
      let message: { type?: unknown; seq?: unknown };
      try {
        message = JSON.parse(String(event.data)) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'ready') {
        this.ready = true;
        this.failures = 0;
        this.o.onReady();
      } else if (message.type === 'changed') {
        this.o.onChange(typeof message.seq === 'number' ? message.seq : 0);
      }
    };
    socket.onerror = () => undefined; // onclose follows and decides
    socket.onclose = (event) => {
      if (generation !== this.generation) return;
      const refused = REFUSED.has(event.code);
      this.drop();
      if (!this.wanted) return;
      if (refused)
        void this.o
          .onRefused()
          .catch(() => undefined)
          .finally(() => this.later());
      else this.later();
    };
  }

  private beat(socket: LiveSocket): void {
    if (Date.now() - this.lastHeard > (this.o.silenceMs ?? SILENCE_MS)) {
      // Half-open (a sleeping laptop, a dropped NAT entry): no close event will come.
      this.drop();
      if (this.wanted) this.later();
      return;
    }
    if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'ping' }));
  }

  private later(): void {
    if (this.retry || !this.wanted) return;
    this.failures++;
    const wait = backoffMs(this.failures, this.o.random, this.o.maxBackoffMs ?? MAX_BACKOFF_MS);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.wanted) void this.connect();
    }, wait);
  }

  private drop(): void {
    this.generation++;
    clearInterval(this.ping);
    this.ping = undefined;
    this.ready = false;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(1000);
    } catch {
      // already closing
    }
  }
}
