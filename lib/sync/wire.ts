// The sync API's wire contract, once: the server validates requests and types its answers with
// these schemas, the OpenAPI document is generated from them, and the client checks every answer
// against them before acting on it (an answer that does not fit is a server failure, never data).
// Pure: zod only, runs in Node, the worker and pages alike.
import { z } from 'zod';

// No compiled parsers: zod's JIT probes `new Function`, which the extension's CSP (no 'unsafe-eval')
// refuses and reports as a violation; schemas made after this line parse without it, everywhere.
z.config({ jitless: true });

/** The rules below, also read by the client's fast check of pull pages (pull-page.ts), so the two cannot drift. */
export const WIRE_RULES = {
  itemId: /^[A-Za-z0-9_.:-]{1,128}$/,
  kind: /^[a-z][a-z0-9_.-]{0,63}$/,
  fieldName: /^[A-Za-z0-9_]{1,64}$/,
  maxFields: 64,
  maxUpdatedAt: 64,
} as const;

const itemId = z.string().regex(WIRE_RULES.itemId, 'Item ids are 1–128 letters, digits or _ . : -');
const safeId = z.uuid({ message: 'safe_id must be a safe id (a UUID).' });
const kind = z.string().regex(WIRE_RULES.kind, 'kind is a short lower-case name such as "secret".');
const revision = z.number().int().min(0);
/** Field name → opaque ciphertext (the server never reads inside). */
const ciphertext = z
  .record(z.string().regex(WIRE_RULES.fieldName, 'Ciphertext field names are 1–64 letters, digits or _'), z.string())
  .refine((fields) => Object.keys(fields).length <= WIRE_RULES.maxFields, 'At most 64 ciphertext fields.');

/** An item as the server shows it: ids, revision and opaque ciphertext, nothing in the clear. */
export const WireItem = z.object({
  id: itemId,
  safe_id: safeId,
  kind,
  revision,
  deleted: z.boolean(),
  ciphertext,
  updated_at: z.string().max(WIRE_RULES.maxUpdatedAt),
});
export type WireItem = z.output<typeof WireItem>;

/** One write of a batch, with the revision it was based on (optimistic concurrency). */
export const WireWrite = z
  .object({
    id: itemId,
    safe_id: safeId.transform((s) => s.toLowerCase()),
    kind,
    baseRevision: revision,
    deleted: z.boolean().default(false),
    ciphertext: ciphertext.default({}),
  })
  .refine((w) => w.deleted || Object.keys(w.ciphertext).length > 0, {
    message: 'A live item needs at least one ciphertext field.',
    path: ['ciphertext'],
  });
export type WireWrite = z.output<typeof WireWrite>;

export const batchBody = (maxItems: number) =>
  z.object({
    items: z
      .array(WireWrite)
      .min(1, 'Send at least one item.')
      .max(maxItems, `At most ${maxItems} items per batch.`)
      .refine((list) => new Set(list.map((i) => i.id)).size === list.length, 'Each item id may appear once per batch.'),
  });

/** Written with its new revision, or not written: `conflict` is the server's copy (null when it has none). */
export const WireResult = z.discriminatedUnion('ok', [
  z.object({ id: itemId, ok: z.literal(true), revision: revision.min(1) }),
  z.object({ id: itemId, ok: z.literal(false), conflict: WireItem.nullable() }),
]);
export type WireResult = z.output<typeof WireResult>;

export const PushAnswer = z.object({ results: z.array(WireResult) });
export type PushAnswer = z.output<typeof PushAnswer>;

/** A secret's earlier versions the server kept (`GET /api/v1/items/:id/revisions`), newest first. */
export const RevisionsAnswer = z.object({ revisions: z.array(WireItem).max(20) });
export type RevisionsAnswer = z.output<typeof RevisionsAnswer>;

export const PullPage = z.object({
  items: z.array(WireItem),
  cursor: z.string().min(1).max(1024),
  /** Call again with `cursor`: more pages, or changes made while a snapshot was paged. */
  hasMore: z.boolean(),
  /** This page belongs to a snapshot: items absent from it (once complete) are not on the server. */
  snapshot: z.boolean(),
  /** The client's cursor was too old: this is a fresh snapshot instead. */
  fullResync: z.boolean(),
  /**
   * The org's change sequence when this page was read, the number a live-update poke carries. Once
   * `hasMore` is false the client holds every change up to it (absent from servers before it).
   */
  seq: z.number().int().nonnegative().optional(),
});
export type PullPage = z.output<typeof PullPage>;

// Accounts: what the client reads of the auth answers.

const uuid = z.uuid();
const token = z.string().min(1).max(512);

/** The KDF as stored for the account; its fields are checked by the client's own rules (kdf-policy). */
export const PreloginAnswer = z.object({ kdf: z.record(z.string(), z.unknown()) });
export const RegisterAnswer = z.object({ user_id: uuid, org_id: uuid });
export const LoginAnswer = z.object({
  access_token: token,
  expires_in: z.number().int().positive(),
  /** The wrapped vault key as the account stored it (opaque here; opened by the vault). */
  keys: z.unknown(),
});
export type LoginAnswer = z.output<typeof LoginAnswer>;
export const PasswordAnswer = z.object({ revoked_sessions: z.number().int().min(0) });
export const DeleteAccountAnswer = z.object({ deleted: z.literal(true), removed_orgs: z.number().int().min(0) });
export const MembershipsAnswer = z.object({
  active_org_id: uuid,
  memberships: z.array(z.object({ org_id: uuid, role: z.string().max(64) })),
});
export const SafeAnswer = z.object({ id: uuid });
