/**
 * The one Drizzle schema for both drivers (PGlite and PostgreSQL).
 * Items hold only opaque ciphertext: no key names, tags or values in the clear (docs/server.md).
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Server-wide values generated once and kept across restarts (e.g. the prelogin HMAC secret). */
export const serverSettings = pgTable('server_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  /** Lower-cased and trimmed; unique. */
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  kdf: jsonb('kdf'),
  keys: jsonb('keys'),
  personalOrgId: uuid('personal_org_id').notNull(),
  createdAt: createdAt(),
  /** Last successful sign-in, for the operator's account list (`npm run admin -- accounts`). */
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  /** Set by the operator (`npm run admin -- disable`): no sign-in, every token revoked. */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** Last change sequence number handed out in this org; bumped only while the org row is locked. */
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(0),
  /** Tombstones with seq <= horizon have been purged; cursors below it need a full resync. */
  tombstoneHorizon: bigint('tombstone_horizon', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/** Bearer tokens, stored only as SHA-256 of the 256-bit random token. */
export const tokens = pgTable(
  'tokens',
  {
    hash: text('hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('tokens_user_idx').on(t.userId)],
);

/**
 * Failed-login counters, kept in the database so they survive restarts and hold across several
 * server instances. `key` is an HMAC under the server's secret of "account + client address" or of
 * the client address alone (server/auth/throttle.ts): no e-mail address or IP is stored in the clear,
 * and unknown e-mails are counted like known ones, so a lockout does not reveal whether an account exists.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Request counters shared by every server process on this database (server/http/shared-limiter.ts):
 * one row per counted key, an HMAC under the server's secret of what is counted (a client address
 * bucket, a bearer token, "the whole server"), never the address or token itself. `used` is what
 * the processes have claimed in the window ending at `ends_at`. Created UNLOGGED (migration 0005):
 * losing the counters in a crash only resets a minute's limits, and they skip the write-ahead log.
 */
export const rateCounters = pgTable('rate_counters', {
  key: text('key').primaryKey(),
  used: integer('used').notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
});

/**
 * One-use registration codes an operator printed (registration mode `invite`). Only the SHA-256 of
 * the 128-bit random code is kept, as for tokens: a copy of the table opens no account.
 */
export const invites = pgTable('invites', {
  hash: text('hash').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});

export const safes = pgTable(
  'safes',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    /** Ciphertext from the extension; plain text from API clients, stored as given. */
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('safes_org_idx').on(t.orgId)],
);

export const items = pgTable(
  'items',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    /** Chosen by the client. */
    id: text('id').notNull(),
    safeId: uuid('safe_id').notNull(),
    kind: text('kind').notNull(),
    revision: integer('revision').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    /** Opaque ciphertext fields, `{field: string}`; empty for tombstones. */
    ciphertext: jsonb('ciphertext').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** Change sequence number (per org) of the last write to this item. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('items_org_seq_idx').on(t.orgId, t.seq)],
);

/**
 * A secret's earlier versions as the server received them (server/sync/push.ts): when a write
 * overwrites a live secret, the row it replaces is kept here, at most 20 per item, so a device that
 * lacks some versions asks for them (`GET /api/v1/items/:id/revisions`) instead of every version
 * carrying its history on the wire. Each is a whole item at its own version, sealed and bound like
 * the item was (docs/architecture.md, "Record binding"): the server can withhold or drop one, not
 * forge, move or re-number it. `safe_id` and `kind` are the overwritten row's, so each answers in the
 * pull's item shape; `bytes` is counted once, at insert, for the quota (server/sync/quota.ts), so a
 * quota check sums a column instead of re-reading up to 20 ciphertexts per secret. Removed with
 * their item: by its purge as a tombstone, and with its org when an account is deleted.
 */
export const itemRevisions = pgTable(
  'item_revisions',
  {
    orgId: uuid('org_id').notNull(),
    itemId: text('item_id').notNull(),
    /** The overwritten row's revision. */
    revision: integer('revision').notNull(),
    safeId: uuid('safe_id').notNull(),
    kind: text('kind').notNull(),
    ciphertext: jsonb('ciphertext').$type<Record<string, string>>().notNull(),
    /** Field names and values, UTF-8, as the quota counts an item. */
    bytes: integer('bytes').notNull(),
    /** The overwritten row's `updated_at`: when that version reached the server. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.itemId, t.revision] }),
    foreignKey({ columns: [t.orgId, t.itemId], foreignColumns: [items.orgId, items.id] }).onDelete('cascade'),
  ],
);
