/** Ciphertext sync: pull changes since a cursor, push a batch of writes, read a secret's kept revisions. */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAuth, requireOrg } from '../auth/middleware';
import type { Deps } from '../deps';
import type { AppEnv } from '../http/env';
import { parseWith, readJson } from '../http/validate';
import { decodeCursor } from '../sync/cursor';
import { pull } from '../sync/pull';
import { pushItems } from '../sync/push';
import { listRevisions } from '../sync/revisions';
import { batchBody, type PullPage, type PushAnswer, type RevisionsAnswer, WireItem } from '../../lib/sync/wire';

const DEFAULT_PAGE = 1000;

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
    return c.json((await pull(db, orgId, cursor, query.limit, position ?? undefined)) satisfies PullPage);
  });

  app.post('/items/batch', ...guards, async (c) => {
    const body = await readJson(c, BatchBody);
    return c.json({ results: await pushItems(db, c.get('orgId'), body.items, config.quota) } satisfies PushAnswer);
  });

  // The wire's item id rule, so an id no item can have is a 400 rather than an empty list.
  const RevisionsParams = z.object({ id: WireItem.shape.id });

  app.get('/items/:id/revisions', ...guards, async (c) => {
    const { id } = parseWith(RevisionsParams, { id: c.req.param('id') });
    return c.json({ revisions: await listRevisions(db, c.get('orgId'), id) } satisfies RevisionsAnswer);
  });

  return app;
}
