/**
 * Safes of the active org. Another org's safe answers 404, as if it did not exist.
 *
 * A client may choose a new safe's id (the extension names a safe locally before it syncs it).
 * Safe ids are unique across the server, so creating with an id settles three ways: nobody has it
 * (201, created), this org has it (200 with the safe as stored: a retry after a lost answer gets
 * the same safe, not a second one), another org has it (409, saying nothing else about that safe).
 */
import { Hono } from 'hono';
import { and, asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireAuth, requireOrg, UUID_RE } from '../auth/middleware';
import { safes } from '../db/schema';
import type { Deps } from '../deps';
import { conflict, notFound } from '../errors';
import type { AppEnv } from '../http/env';
import { readJson } from '../http/validate';
import { deleteSafe } from '../sync/push';

export const SafeBody = z.object({ name: z.string().trim().min(1, 'Name the safe.').max(4096) });
/** Creation may also name the id; lower-cased, as the server stores and returns every id. */
export const SafeCreateBody = SafeBody.extend({
  id: z
    .uuid({ message: 'id must be a safe id (a UUID).' })
    .transform((s) => s.toLowerCase())
    .optional(),
});

const safeView = (row: typeof safes.$inferSelect) => ({
  id: row.id,
  name: row.name,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

export function safeRoutes(deps: Deps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth(deps.tokenLimiter), requireOrg);

  const safeId = (raw: string) => {
    if (!UUID_RE.test(raw)) throw notFound('Safe not found in this organization.');
    return raw.toLowerCase();
  };
  const inOrg = (orgId: string, id: string) => and(eq(safes.orgId, orgId), eq(safes.id, id));

  app.get('/', async (c) => {
    const rows = await db
      .select()
      .from(safes)
      .where(eq(safes.orgId, c.get('orgId')))
      .orderBy(asc(safes.createdAt), asc(safes.id));
    return c.json(rows.map(safeView));
  });

  app.post('/', async (c) => {
    const { name, id } = await readJson(c, SafeCreateBody);
    const orgId = c.get('orgId');
    if (!id) {
      const [row] = await db.insert(safes).values({ id: randomUUID(), orgId, name }).returning();
      return c.json(safeView(row!), 201);
    }
    // Insert unless the id is taken, then look at whoever holds it. A concurrent DELETE can remove
    // the holder in between; the next round then creates the safe.
    for (let round = 0; round < 3; round++) {
      const [created] = await db.insert(safes).values({ id, orgId, name }).onConflictDoNothing().returning();
      if (created) return c.json(safeView(created), 201);
      const [held] = await db.select().from(safes).where(eq(safes.id, id));
      if (held?.orgId === orgId) return c.json(safeView(held), 200);
      if (held) throw conflict('This safe id is already in use. Choose another id (or leave id out to get one).');
    }
    throw conflict('This safe id is being created and deleted at once. Try again.');
  });

  app.get('/:id', async (c) => {
    const [row] = await db
      .select()
      .from(safes)
      .where(inOrg(c.get('orgId'), safeId(c.req.param('id'))));
    if (!row) throw notFound('Safe not found in this organization.');
    return c.json(safeView(row));
  });

  app.patch('/:id', async (c) => {
    const id = safeId(c.req.param('id'));
    const { name } = await readJson(c, SafeBody);
    const [row] = await db
      .update(safes)
      .set({ name, updatedAt: new Date() })
      .where(inOrg(c.get('orgId'), id))
      .returning();
    if (!row) throw notFound('Safe not found in this organization.');
    return c.json(safeView(row));
  });

  app.delete('/:id', async (c) => {
    const removed = await deleteSafe(db, c.get('orgId'), safeId(c.req.param('id')));
    if (!removed) throw notFound('Safe not found in this organization.');
    return c.body(null, 204);
  });

  return app;
}
