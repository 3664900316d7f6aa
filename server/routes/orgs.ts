/** The caller's organizations; the personal org is the active one. */
import { Hono } from 'hono';
import { asc, eq } from 'drizzle-orm';
import { requireAuth } from '../auth/middleware';
import { memberships, orgs, users } from '../db/schema';
import type { Deps } from '../deps';
import type { AppEnv } from '../http/env';

export function orgRoutes(deps: Deps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get('/memberships', requireAuth(deps.tokenLimiter), async (c) => {
    const userId = c.get('userId');
    const [user] = await db.select({ personalOrgId: users.personalOrgId }).from(users).where(eq(users.id, userId));
    const rows = await db
      .select({ org_id: orgs.id, name: orgs.name, role: memberships.role })
      .from(memberships)
      .innerJoin(orgs, eq(orgs.id, memberships.orgId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt), asc(orgs.id));
    return c.json({ active_org_id: user?.personalOrgId ?? rows[0]?.org_id ?? null, memberships: rows });
  });

  return app;
}
