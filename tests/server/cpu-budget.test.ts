/**
 * One CPU budget for the whole server: PBKDF2 and key pairs in the Toolkit, and the scrypt check of
 * a hash an earlier server made. Past it the answer is 503 with Retry-After, whoever asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBudget } from '../../server/cpu-budget';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import { type Account, sleep } from './helpers/api';
import { giveLegacyHash } from './helpers/legacy-hash';

/** A Toolkit decrypt at the most PBKDF2 iterations allowed: about a second of a core, then 400 (wrong tag). */
const slowDecrypt = (s: Running, a: Account) =>
  s.api.post('/v1/auth/decrypt', {
    token: a.token,
    body: {
      ciphertext: 'AAAA',
      iv: 'AAAAAAAAAAAAAAAA',
      tag: 'AAAAAAAAAAAAAAAAAAAAAA==',
      salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
      password: 'p',
      iterations: 2_000_000,
    },
  });

describe.each(backends)('server-wide CPU budget (%s)', (backend) => {
  let s: Running;
  let a: Account;
  let b: Account;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ toolkit: true, cpu: { slots: 1, queue: 0 } }));
    a = await s.api.signup('cpu-a');
    b = await s.api.signup('cpu-b');
  });
  afterAll(async () => s?.stop());

  it("answers 503 with Retry-After to other accounts' key work while the budget is spent; sign-ins and sign-ups, which need none, still go through", async () => {
    const busy = slowDecrypt(s, a);
    await sleep(150); // the decrypt holds the one slot
    const [other, login, register] = await Promise.all([
      slowDecrypt(s, b),
      s.api.post('/api/v1/auth/login', { body: { email: b.email, password: b.password } }),
      s.api.post('/api/v1/auth/register', { body: { email: `cpu-${Date.now()}@example.test`, password: 'long enough' } }),
    ]);
    expect(other.status).toBe(503);
    expect(other.body.error.code).toBe('overloaded');
    expect(Number(other.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect([login.status, register.status]).toEqual([200, 201]);
    expect((await busy).status).toBe(400); // it ran: the ciphertext does not authenticate
    // An account whose hash an earlier server made with scrypt: its check is slow work, within the budget.
    await giveLegacyHash(s.database.db, b.email, b.password, 2 ** 12);
    const slow = slowDecrypt(s, a);
    await sleep(150);
    const legacyLogin = await s.api.post('/api/v1/auth/login', { body: { email: b.email, password: b.password } });
    expect(legacyLogin.status).toBe(503);
    expect(legacyLogin.body.error.code).toBe('overloaded');
    expect((await slow).status).toBe(400);
    // Once the work is done, the account signs in again (and its hash is no longer scrypt).
    expect((await s.api.post('/api/v1/auth/login', { body: { email: b.email, password: b.password } })).status).toBe(200);
  });
});

describe('CpuBudget', () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it('runs at most `slots` jobs at once, queues `queue` more, and refuses the rest', async () => {
    const budget = new CpuBudget(2, 2);
    const g = gate();
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await g.opened;
      running--;
      return 'done';
    };
    const accepted = [budget.run('sign-in', job), budget.run('sign-in', job), budget.run('sign-in', job), budget.run('sign-in', job)];
    await expect(budget.run('sign-in', job)).rejects.toMatchObject({ status: 503, code: 'overloaded' });
    g.open();
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done', 'done']);
    expect(peak).toBe(2);
    expect(await budget.run('sign-in', job)).toBe('done'); // slots handed back
  });

  it('lets other work fill only half the queue, and serves sign-ins first', async () => {
    const budget = new CpuBudget(1, 4);
    const g = gate();
    const order: string[] = [];
    const job = (name: string) => async () => {
      await g.opened;
      order.push(name);
    };
    const runs = [budget.run('other', job('first')), budget.run('other', job('o1')), budget.run('other', job('o2'))];
    await expect(budget.run('other', job('o3'))).rejects.toMatchObject({ status: 503 });
    runs.push(budget.run('sign-in', job('s1')), budget.run('sign-in', job('s2')));
    await expect(budget.run('sign-in', job('s3'))).rejects.toMatchObject({ status: 503 });
    g.open();
    await Promise.all(runs);
    expect(order).toEqual(['first', 's1', 's2', 'o1', 'o2']);
  });

  it('hands the slot on when a job fails', async () => {
    const budget = new CpuBudget(1, 1);
    await expect(budget.run('sign-in', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await budget.run('sign-in', async () => 7)).toBe(7);
  });
});
