/** The PGlite request gate: never more than `limit` at once, waiters admitted in arrival order. */
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { concurrencyGate } from '../../server/http/gate';

describe('concurrencyGate', () => {
  it('admits at most `limit` requests at once, first come first served', async () => {
    const app = new Hono();
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    app.use('*', concurrencyGate(2));
    app.get('/:n', async (c) => {
      active++;
      peak = Math.max(peak, active);
      started.push(Number(c.req.param('n')));
      await new Promise<void>((resolve) => release.push(resolve));
      active--;
      return c.text('ok');
    });

    const replies = [0, 1, 2, 3, 4].map((n) => app.request(`/${n}`));
    const tick = () => new Promise((r) => setTimeout(r, 5));
    await tick();
    expect(started).toEqual([0, 1]);
    // Finish in reverse admission order; the waiters still enter in arrival order.
    release[1]!();
    await tick();
    release[0]!();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    release[2]!();
    release[3]!();
    while (release.length < 5) await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    release[4]!();
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(peak).toBe(2);
  });
});
