/**
 * NUL and unpaired UTF-16 surrogates in any string of a request: 400 `invalid_text`, never a 500
 * from the database, and nothing stored. Run on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backends, type Running, startServer } from './helpers/harness';
import { type Account, item } from './helpers/api';

const BAD = ['nul\u0000inside', 'lone \ud800 high', 'lone \udc00 low', '\udfff\ud800 reversed'];

describe.each(backends)('unstorable text (%s)', (backend) => {
  let s: Running;
  let a: Account;
  let safeId: string;
  beforeAll(async () => {
    s = await startServer(backend);
    a = await s.api.signup('text');
    safeId = await s.api.createSafe(a, 'Kept');
  });
  afterAll(async () => s?.stop());

  const snapshot = async () => {
    const result = await s.database.db.execute(
      sql`select (select count(*) from users)::int as users, (select string_agg(name, ',' order by id) from safes) as safes,
                 (select count(*) from items)::int as items, (select string_agg(keys::text, ',' order by id) from users) as keys`,
    );
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows)[0];
  };

  it('answers 400 on every route that takes text, and stores nothing', async () => {
    const before = await snapshot();
    const org = { token: a.token, org: a.orgId };
    for (const bad of BAD) {
      const requests: [string, () => Promise<{ status: number; body: any }>][] = [
        ['register email', () => s.api.post('/api/v1/auth/register', { body: { email: `x${bad}@example.test`, password: 'long enough' } })],
        [
          'register password',
          () => s.api.post('/api/v1/auth/register', { body: { email: `p-${Math.random()}@example.test`, password: `long enough ${bad}` } }),
        ],
        [
          'register keys',
          () =>
            s.api.post('/api/v1/auth/register', { body: { email: `k-${Math.random()}@example.test`, password: 'long enough', keys: bad } }),
        ],
        [
          'register keys object',
          () =>
            s.api.post('/api/v1/auth/register', {
              body: { email: `o-${Math.random()}@example.test`, password: 'long enough', keys: { [bad]: 'v', nested: [bad] } },
            }),
        ],
        ['login', () => s.api.post('/api/v1/auth/login', { body: { email: a.email, password: bad } })],
        [
          'prelogin',
          () => s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(`a${bad.replace(/[\ud800-\udfff]/g, '')}@example.test`)}`),
        ],
        ['safe create', () => s.api.post('/api/v1/safes', { ...org, body: { name: bad } })],
        ['safe rename', () => s.api.patch(`/api/v1/safes/${safeId}`, { ...org, body: { name: bad } })],
        ['item ciphertext', () => s.api.push(a, [item('t1', safeId, 0, { ciphertext: { blob: bad } })])],
        ['item field name', () => s.api.push(a, [item('t2', safeId, 0, { ciphertext: { [bad]: 'x' } })])],
        [
          'password keys',
          () =>
            s.api.post('/api/v1/auth/password', {
              token: a.token,
              body: {
                current_password: a.password,
                password: 'new long enough',
                kdf: { name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, salt: 'AAECAwQFBgcICQoLDA0ODw==' },
                keys: bad,
              },
            }),
        ],
        ['sync cursor', () => s.api.get(`/api/v1/sync?cursor=${encodeURIComponent(bad.replace(/[\ud800-\udfff]/g, ''))}`, org)],
      ];
      for (const [label, send] of requests) {
        const res = await send();
        expect(res.status, `${label}: ${JSON.stringify(bad)}`).toBe(400);
        expect(res.body.error.code, label).toMatch(/^(invalid_text|invalid_input|invalid_cursor)$/);
      }
    }
    expect(await snapshot()).toEqual(before);
    // The account still works with its old password.
    expect((await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: a.password } })).status).toBe(200);
  });

  it('names the field and says what is wrong', async () => {
    const res = await s.api.post('/api/v1/safes', { token: a.token, org: a.orgId, body: { name: 'a\u0000b' } });
    expect(res.body.error).toEqual({
      code: 'invalid_text',
      message: 'name: text may not contain NUL characters or unpaired UTF-16 surrogates.',
    });
    // Paired surrogates (an emoji) are ordinary text.
    expect((await s.api.post('/api/v1/safes', { token: a.token, org: a.orgId, body: { name: 'Keys 🔑' } })).status).toBe(201);
  });
});
