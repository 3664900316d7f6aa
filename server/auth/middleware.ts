/**
 * Route guards: `requireAuth` resolves the bearer token (401 otherwise) and counts it against the
 * per-token limit; `requireOrg` checks `X-Active-Org-Id` names an org the caller belongs to (403).
 */
import type { MiddlewareHandler } from 'hono';
import { and, eq } from 'drizzle-orm';
import { memberships } from '../db/schema';
import { badRequest, forbidden, unauthorized } from '../errors';
import type { AppEnv } from '../http/env';
import { applyLimit } from '../http/rate-limit';
import type { SharedLimiter } from '../http/shared-limiter';
import { resolveToken } from './tokens';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The X-Active-Org-Id header, lower-cased, when it looks like an org id. */
function activeOrgHeader(raw: string | undefined): string | null {
  const value = raw?.trim();
  return value && UUID_RE.test(value) ? value.toLowerCase() : null;
}

export function requireAuth(limiter: SharedLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized();
    const token = match[1];
    const orgId = activeOrgHeader(c.req.header('x-active-org-id'));
    const found = await resolveToken(c.get('db'), token, orgId ?? undefined);
    if (!found) throw unauthorized();
    await applyLimit(c, limiter, token);
    c.set('userId', found.userId);
    if (orgId) c.set('membership', { orgId, role: found.role, position: found.position });
    c.set('token', token);
    await next();
  };
}

export const requireOrg: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = c.req.header('x-active-org-id')?.trim();
  if (!raw) throw badRequest('Send the X-Active-Org-Id header (see GET /api/v1/org/memberships).', 'missing_org');
  const orgId = activeOrgHeader(raw);
  if (!orgId) throw badRequest('X-Active-Org-Id must be an org id (a UUID).', 'invalid_org');
  // requireAuth looked the membership up with the token.
  const membership = c.get('membership');
  let role = membership?.orgId === orgId ? membership.role : null;
  if (!membership || membership.orgId !== orgId) {
    const [row] = await c
      .get('db')
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, c.get('userId'))));
    role = row?.role ?? null;
  }
  if (!role) throw forbidden('You are not a member of this organization.');
  c.set('orgId', orgId);
  c.set('role', role);
  await next();
};
