/**
 * DELETE /api/v1/account: the owner, proving the password again, removes the account, its tokens,
 * the orgs it alone owns with their safes and items, and its other memberships; nobody else's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { memberships, orgs } from '../../server/db/schema';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import { item } from './helpers/api';

describe.each(backends)('account deletion (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ login: { maxFailures: 3, lockBaseSeconds: 60 } }));
  });
  afterAll(async () => s?.stop());

  const rows = async (query: ReturnType<typeof sql>) => {
    const result = await s.database.db.execute(query);
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  };
  const count = async (table: string, column: string, value: string) =>
    Number((await rows(sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)} = ${value}`))[0]!.n);
  const remove = (token: string, password: string, headers?: Record<string, string>) =>
    s.api.delete('/api/v1/account', { token, body: { password }, headers });

  it('removes the account and all it alone holds, after the password is proved again', async () => {
    const owner = await s.api.signup('leaving');
    const other = await s.api.signup('staying');
    const safe = await s.api.createSafe(owner, 'Mine');
    expect((await s.api.push(owner, [item('a', safe), item('b', safe)])).status).toBe(200);
    // Earlier versions the server keeps (item_revisions) go with the account too.
    expect((await s.api.push(owner, [item('a', safe, 1), item('b', safe, 1, { deleted: true, ciphertext: {} })])).status).toBe(200);
    expect(await count('item_revisions', 'org_id', owner.orgId)).toBe(2);
    const otherSafe = await s.api.createSafe(other, 'Theirs');
    expect((await s.api.push(other, [item('c', otherSafe)])).status).toBe(200);
    // A team org the leaving user alone owns (the other is a member), and one owned with someone else.
    const [team, shared] = [randomUUID(), randomUUID()];
    await s.database.db.insert(orgs).values([
      { id: team, name: 'Team' },
      { id: shared, name: 'Shared' },
    ]);
    await s.database.db.insert(memberships).values([
      { orgId: team, userId: owner.userId, role: 'owner' },
      { orgId: team, userId: other.userId, role: 'member' },
      { orgId: shared, userId: owner.userId, role: 'owner' },
      { orgId: shared, userId: other.userId, role: 'owner' },
    ]);
    const secondDevice = await s.api.login(owner.email, owner.password);

    // A token alone is not enough.
    const wrong = await remove(owner.token, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Wrong password: the account was not deleted.');
    expect(await count('users', 'id', owner.userId)).toBe(1);
    expect((await remove(owner.token, '')).status).toBe(400);
    expect((await s.api.delete('/api/v1/account', { body: { password: owner.password } })).status).toBe(401);

    const done = await remove(owner.token, owner.password);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ deleted: true, removed_orgs: 2 });

    expect(await count('users', 'id', owner.userId)).toBe(0);
    expect(await count('tokens', 'user_id', owner.userId)).toBe(0);
    expect(await count('memberships', 'user_id', owner.userId)).toBe(0);
    for (const org of [owner.orgId, team]) {
      expect(await count('orgs', 'id', org)).toBe(0);
      expect(await count('memberships', 'org_id', org)).toBe(0);
      expect(await count('safes', 'org_id', org)).toBe(0);
      expect(await count('items', 'org_id', org)).toBe(0);
      expect(await count('item_revisions', 'org_id', org)).toBe(0);
    }
    expect(await count('orgs', 'id', shared)).toBe(1); // another owner keeps it
    expect(await count('memberships', 'org_id', shared)).toBe(1);

    // Every session ends; the e-mail no longer signs in, and may register again.
    for (const token of [owner.token, secondDevice]) expect((await s.api.get('/api/v1/org/memberships', { token })).status).toBe(401);
    expect((await s.api.post('/api/v1/auth/login', { body: { email: owner.email, password: owner.password } })).status).toBe(401);
    expect((await s.api.post('/api/v1/auth/register', { body: { email: owner.email, password: 'a new start' } })).status).toBe(201);

    // The other account is untouched.
    expect((await s.api.sync(other)).body.items.map((i: { id: string }) => i.id)).toEqual(['c']);
    expect(await count('memberships', 'user_id', other.userId)).toBe(2); // personal + shared
  });

  it('counts wrong passwords toward the sign-in lockout', async () => {
    const a = await s.api.signup('guessed');
    for (let i = 0; i < 3; i++) expect((await remove(a.token, 'guess')).status).toBe(401);
    const locked = await remove(a.token, a.password);
    expect(locked.status).toBe(429);
    expect(await count('users', 'id', a.userId)).toBe(1);
  });
});
