/** Registration: the kdf held to the client's bounds, the open/invite/closed modes, and its rate limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ARGON2_LIMITS, KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS } from '../../lib/vault/kdf-params';
import { backends, type Running, startServer } from './helpers/harness';

const salt = 'AAECAwQFBgcICQoLDA0ODw==';
const argon2 = { name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, salt };

const countUsers = async (s: Running) => {
  const result = await s.database.db.execute(sql`select count(*)::int as n from users`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return rows[0]!.n;
};

describe.each(backends)('registration kdf (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
  });
  afterAll(async () => s?.stop());

  const register = (kdf: unknown) =>
    s.api.post('/api/v1/auth/register', { body: { email: `kdf-${Math.random()}@example.test`, password: 'long enough', kdf } });

  it('refuses a kdf outside the extension\'s floors and caps, storing nothing', async () => {
    const before = await countUsers(s);
    const bad: unknown[] = [
      { name: 'PBKDF2-HMAC-SHA256', iterations: 1, salt },
      { name: 'PBKDF2-HMAC-SHA256', iterations: KDF_MIN_ITERATIONS - 1, salt },
      { name: 'PBKDF2-HMAC-SHA256', iterations: KDF_MAX_ITERATIONS + 1, salt },
      { ...argon2, memoryKiB: ARGON2_LIMITS.memoryKiB.min - 1 },
      { ...argon2, passes: ARGON2_LIMITS.passes.max + 1 },
      { ...argon2, salt: 'c2hvcnQ=' },
      { ...argon2, name: 'scrypt' },
      { name: 'Argon2id' },
      'Argon2id',
    ];
    for (const kdf of bad) {
      const res = await register(kdf);
      expect(res.status, JSON.stringify(kdf)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toMatch(/^kdf/);
    }
    expect(await countUsers(s)).toBe(before);
  });

  it('accepts the shapes the extension sends, and none', async () => {
    expect((await register(argon2)).status).toBe(201);
    expect((await register({ name: 'PBKDF2-HMAC-SHA256', iterations: KDF_MIN_ITERATIONS, salt })).status).toBe(201);
    expect((await register(undefined)).status).toBe(201);
  });
});
