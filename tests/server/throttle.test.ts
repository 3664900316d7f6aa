import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createStore, type Running, startOn, type Store, testConfig } from './helpers/harness';
import { sleep } from './helpers/api';

const config = testConfig({ login: { maxFailures: 10, lockBaseSeconds: 1, lockMaxSeconds: 2 } });

describe.each(backends)('login throttling (%s)', (backend) => {
  let store: Store;
  let s: Running;
  beforeAll(async () => {
    store = await createStore(backend);
    s = await startOn(store, config);
  });
  afterAll(async () => {
    await s?.stop();
    await store?.destroy();
  });

  const attempt = (email: string, password: string) => s.api.post('/api/v1/auth/login', { body: { email, password } });
  const fail = async (email: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await attempt(email, 'wrong-password')).status).toBe(401);
  };

  it('locks an account after 10 failures with a growing, capped Retry-After; others unaffected', async () => {
    const victim = await s.api.signup('victim');
    const bystander = await s.api.signup('bystander');
    await fail(victim.email, 10);

    const locked = await attempt(victim.email, victim.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect(locked.body.error.code).toBe('rate_limited');
    expect(locked.headers.get('x-ratelimit-limit')).toBeTruthy();

    // The lockout is per account: another account still signs in.
    expect((await attempt(bystander.email, bystander.password)).status).toBe(200);

    // After the lock, one more failure locks again for longer (2 s), then capped at 2 s.
    await sleep(1100);
    expect((await attempt(victim.email, 'wrong-password')).status).toBe(401);
    const longer = await attempt(victim.email, victim.password);
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('2');
    await sleep(2100);
    expect((await attempt(victim.email, 'wrong-password')).status).toBe(401);
    expect((await attempt(victim.email, victim.password)).headers.get('retry-after')).toBe('2');

    // Once the lock passes, the right password works and resets the count.
    await sleep(2100);
    expect((await attempt(victim.email, victim.password)).status).toBe(200);
    await fail(victim.email, 9);
    expect((await attempt(victim.email, victim.password)).status).toBe(200);
  });

  it('keeps the lock in the database across a restart', async () => {
    const persistent = await createStore(backend, { persistent: true });
    const slow = testConfig({ login: { maxFailures: 10, lockBaseSeconds: 60, lockMaxSeconds: 600 } });
    let server = await startOn(persistent, slow);
    try {
      const a = await server.api.signup('restart');
      for (let i = 0; i < 10; i++) {
        await server.api.post('/api/v1/auth/login', { body: { email: a.email, password: 'wrong-password' } });
      }
      await server.stop();
      server = await startOn(persistent, slow);
      const res = await server.api.post('/api/v1/auth/login', { body: { email: a.email, password: a.password } });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(30);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    } finally {
      await server.stop();
      await persistent.destroy();
    }
  });

  it('counts failures for unknown e-mails the same way, so a lockout reveals nothing', async () => {
    const ghost = `ghost-${Date.now()}@example.test`;
    await fail(ghost, 10);
    const res = await attempt(ghost, 'anything');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});
