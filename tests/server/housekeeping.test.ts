import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer } from './helpers/harness';
import { housekeeping } from '../../server/housekeeping';

describe.each(backends)('housekeeping (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
  });
  afterAll(async () => s?.stop());

  it('drops long-expired tokens, stale unlocked login counts and ended request windows, keeps live ones', async () => {
    const a = await s.api.signup('tidy');
    await s.api.post('/api/v1/auth/login', { body: { email: `ghost-${Date.now()}@example.test`, password: 'nope-nope' } });

    const today = await housekeeping(s.database.db, s.config);
    expect(today).toMatchObject({ tokens: 0, loginAttempts: 0, rateCounters: 0 });
    expect((await s.api.get('/api/v1/org/memberships', { token: a.token })).status).toBe(200);

    const inTwoDays = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    const later = await housekeeping(s.database.db, s.config, inTwoDays);
    expect(later.tokens).toBeGreaterThanOrEqual(1);
    expect(later.loginAttempts).toBeGreaterThanOrEqual(1);
    expect(later.rateCounters).toBeGreaterThanOrEqual(1); // this client's address and token windows
    expect((await s.api.get('/api/v1/org/memberships', { token: a.token })).status).toBe(401);
  });
});
