/** Ciphertext sync: pull changes since a cursor, push a batch of writes. */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAuth, requireOrg } from '../auth/middleware';
import type { Deps } from '../deps';
import type { AppEnv } from '../http/env';
import { parseWith, readJson } from '../http/validate';
import { decodeCursor } from '../sync/cursor';
import { pull } from '../sync/pull';
import { pushItems } from '../sync/push';

const DEFAULT_PAGE = 1000;

export const ItemWriteSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Item ids are 1–128 letters, digits or _ . : -'),
    safe_id: z.uuid({ message: 'safe_id must be a safe id (a UUID).' }).transform((s) => s.toLowerCase()),
    kind: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'kind is a short lower-case name such as "secret".'),
    baseRevision: z.number().int().min(0),
    deleted: z.boolean().default(false),
    ciphertext: z
      .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'Ciphertext field names are 1–64 letters, digits or _'), z.string())
      .default({}),
  })
  .refine((w) => w.deleted || Object.keys(w.ciphertext).length > 0, {
    message: 'A live item needs at least one ciphertext field.',
    path: ['ciphertext'],
  })
  .refine((w) => Object.keys(w.ciphertext).length <= 64, { message: 'At most 64 ciphertext fields.', path: ['ciphertext'] });

export const batchBody = (maxItems: number) =>
  z.object({
    items: z
      .array(ItemWriteSchema)
      .min(1, 'Send at least one item.')
      .max(maxItems, `At most ${maxItems} items per batch.`)
      .refine((list) => new Set(list.map((i) => i.id)).size === list.length, 'Each item id may appear once per batch.'),
  });

export function syncRoutes(deps: Deps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();
  const guards = [requireAuth(deps.tokenLimiter), requireOrg] as const;

  const BatchBody = batchBody(config.batchMaxItems);
  const PullQuery = z.object({
    cursor: z.string().max(1024).optional(),
    limit: z.coerce
      .number()
      .int('limit must be a whole number.')
      .min(1)
      .max(config.syncMaxLimit, `limit is at most ${config.syncMaxLimit}.`)
      .default(Math.min(DEFAULT_PAGE, config.syncMaxLimit)),
  });

  app.get('/sync', ...guards, async (c) => {
    const raw = c.req.query();
    const query = parseWith(PullQuery, {
      cursor: raw.cursor || undefined,
      limit: raw.limit === '' ? undefined : raw.limit,
    });
    const orgId = c.get('orgId');
    const cursor = query.cursor ? decodeCursor(query.cursor, orgId) : null;
    const membership = c.get('membership');
    const position = membership?.orgId === orgId ? membership.position : null;
    return c.json(await pull(db, orgId, cursor, query.limit, position ?? undefined));
  });

  app.post('/items/batch', ...guards, async (c) => {
    const body = await readJson(c, BatchBody);
    return c.json({ results: await pushItems(db, c.get('orgId'), body.items, config.quota) });
  });

  return app;
}
