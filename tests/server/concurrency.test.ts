/**
 * Concurrent writers. On PostgreSQL these requests run on separate connections at once; the
 * per-org lock must make exactly one of two racing writes win and keep deltas gap-free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer } from './helpers/harness';
import { type Account, item } from './helpers/api';

describe.each(backends)('concurrent writers (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
  });
  afterAll(async () => s?.stop());

  it('two writers on one item: exactly one wins, the other gets a conflict carrying the winner', async () => {
    const a = await s.api.signup('race');
    const safe = await s.api.createSafe(a);
    for (let round = 0; round < 10; round++) {
      const id = `race-${round}`;
      await s.api.push(a, [item(id, safe)]);
      const [x, y] = await Promise.all([
        s.api.push(a, [{ ...item(id, safe, 1), ciphertext: { blob: 'writer-x' } }]),
        s.api.push(a, [{ ...item(id, safe, 1), ciphertext: { blob: 'writer-y' } }]),
      ]);
      const results = [x.body.results[0], y.body.results[0]];
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toEqual([{ id, ok: true, revision: 2 }]);
      expect(losers).toHaveLength(1);
      const winnerBlob = x.body.results[0].ok ? 'writer-x' : 'writer-y';
      expect(losers[0].conflict).toMatchObject({ id, revision: 2, ciphertext: { blob: winnerBlob } });
    }
  });

  it('deltas never skip or repeat a change while many writers commit', async () => {
    const a: Account = await s.api.signup('deltas');
    const safe = await s.api.createSafe(a);
    const writers = 6;
    const batchesPerWriter = 8;
    const written = new Set<string>();

    let done = false;
    const seen: string[] = [];
    const reader = (async () => {
      let cursor: string | undefined = (await s.api.sync(a)).body.cursor;
      for (;;) {
        const finished = done;
        const res = await s.api.sync(a, cursor, 7);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((x: { id: string }) => x.id));
        cursor = res.body.cursor;
        if (finished && !res.body.hasMore) return;
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let b = 0; b < batchesPerWriter; b++) {
          const batch = Array.from({ length: 3 }, (_, k) => item(`w${w}-b${b}-k${k}`, safe));
          const res = await s.api.push(a, batch);
          expect(res.status).toBe(200);
          for (const r of res.body.results) {
            expect(r.ok).toBe(true);
            written.add(r.id);
          }
        }
      }),
    );
    done = true;
    await reader;

    expect(written.size).toBe(writers * batchesPerWriter * 3);
    expect(new Set(seen).size).toBe(seen.length); // nothing repeated
    expect(new Set(seen)).toEqual(written); // nothing skipped
  });
});
