/**
 * Fixed-window request limits that hold across every server process on one database: N processes
 * behind a load balancer must not give a client N times the limit (a flood spread over the
 * processes would otherwise pass; OWASP API Security Top 10 2023, API4 "Unrestricted Resource
 * Consumption").
 *
 * Counting every request in the database would add a round trip to each; instead a process claims
 * a slice of a key's window from the database (one upsert on an UNLOGGED table) and spends it in
 * memory. The slice is a 32nd of what is left, at most 64 and at least 1, so a limit is exact in its
 * last 32 requests (and everywhere for limits up to 32), and a process holds at most a 32nd of what
 * remains unspent: a client spread over P processes may be refused up to P·63 requests early, never
 * let past the limit. A key the database reports spent is refused locally until its window ends, so
 * a flood costs no database work. Windows start at a key's first request and are timed by the
 * database's clock, which every process shares.
 *
 * Keys are HMACs under the server's secret (no address or token in the database, as for the login
 * throttle), and concurrent requests for one key wait for the same claim instead of each making one.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rateCounters } from '../db/schema';
import type { Db } from '../db/types';

/** A 32nd of what is left per claim, between 1 and 64. */
const SLICE_DIVISOR = 32;
const SLICE_MAX = 64;

interface Slot {
  /** Local time when the window the database reported ends. */
  endsAt: number;
  /** Claimed by this process in that window and not spent yet. */
  leftover: number;
  /** Claimed by all processes in that window, as of the last claim. */
  used: number;
  /** The database has no more for this window. */
  spent: boolean;
  claiming: Promise<void> | null;
}

export interface LimitAnswer {
  limit: number;
  remaining: number;
  /** Seconds until the window ends, when over the limit; otherwise null. */
  retryAfterSeconds: number | null;
}

export class SharedLimiter {
  private readonly slots = new Map<string, Slot>();
  constructor(
    private readonly db: Db,
    private readonly secret: Buffer,
    /** Names what is counted, so one client's address and one token never share a row. */
    private readonly scope: string,
    readonly limit: number,
    private readonly windowSeconds: number,
  ) {
    // Forgets slots whose window has ended, so memory follows the clients of the last window only.
    setInterval(() => this.prune(), Math.min(windowSeconds, 60) * 1000).unref();
  }

  /** Counts one request for `id`; says what is left, or how long to wait when over. */
  async hit(id: string): Promise<LimitAnswer> {
    for (;;) {
      const now = Date.now();
      let slot = this.slots.get(id);
      if (slot && slot.endsAt <= now && !slot.claiming) {
        this.slots.delete(id);
        slot = undefined;
      }
      if (slot && slot.leftover > 0) {
        slot.leftover--;
        return { limit: this.limit, remaining: Math.max(0, this.limit - (slot.used - slot.leftover)), retryAfterSeconds: null };
      }
      if (slot?.spent) return { limit: this.limit, remaining: 0, retryAfterSeconds: Math.max(1, (slot.endsAt - now) / 1000) };
      if (!slot) {
        slot = { endsAt: Number.POSITIVE_INFINITY, leftover: 0, used: 0, spent: false, claiming: null };
        this.slots.set(id, slot);
      }
      if (!slot.claiming) {
        const claimed = slot;
        claimed.claiming = this.claim(id, claimed).finally(() => (claimed.claiming = null));
      }
      await slot.claiming;
    }
  }

  private async claim(id: string, slot: Slot): Promise<void> {
    const want = Math.min(SLICE_MAX, Math.max(1, Math.floor((this.limit - slot.used) / SLICE_DIVISOR)));
    const key = createHmac('sha256', this.secret).update(`rate:${this.scope}:${id}`).digest('base64url');
    const [row] = await claimStatement(this.db).execute({ key, want, seconds: this.windowSeconds });
    const used = row!.used;
    // The claim counted `want` on top of what the others had: what was still under the limit is ours.
    const granted = Math.min(want, Math.max(0, this.limit - (used - want)));
    if (used === want) slot.leftover = 0; // the database opened a new window: an old slice is void
    slot.leftover += granted;
    slot.used = used;
    slot.spent = used >= this.limit;
    slot.endsAt = Date.now() + row!.msLeft;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, slot] of this.slots) if (slot.endsAt <= now && !slot.claiming) this.slots.delete(id);
  }
}

// One statement per claim, prepared once per database: adds `want` to the key's window, or opens a
// new window (from the database's now()) when the old one has ended.
const claims = new WeakMap<Db, ReturnType<typeof prepareClaim>>();
function claimStatement(db: Db) {
  let statement = claims.get(db);
  if (!statement) claims.set(db, (statement = prepareClaim(db)));
  return statement;
}
function prepareClaim(db: Db) {
  const want = sql`${sql.placeholder('want')}::integer`;
  const endsAt = sql`now() + make_interval(secs => ${sql.placeholder('seconds')}::integer)`;
  const ended = sql`${rateCounters.endsAt} <= now()`;
  return db
    .insert(rateCounters)
    .values({ key: sql.placeholder('key'), used: want, endsAt })
    .onConflictDoUpdate({
      target: rateCounters.key,
      set: {
        used: sql`case when ${ended} then excluded.used else ${rateCounters.used} + excluded.used end`,
        endsAt: sql`case when ${ended} then excluded.ends_at else ${rateCounters.endsAt} end`,
      },
    })
    .returning({
      used: rateCounters.used,
      msLeft: sql<number>`(extract(epoch from (${rateCounters.endsAt} - now())) * 1000)::float8`.mapWith(Number),
    })
    .prepare('keysmith_rate_claim');
}
