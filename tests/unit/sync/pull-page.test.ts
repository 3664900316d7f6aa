// The pull page's fast check (pull-page.ts) must take exactly what the wire contract's zod schema
// takes, give the same items, and refuse exactly what it refuses: a server's answer that does not
// fit stays a server failure.
import { describe, expect, it } from 'vitest';
import { fitItem, parsePullPage } from '../../../lib/sync/pull-page';
import { PullPage, WireItem } from '../../../lib/sync/wire';

const SAFE = '3f2c1b7a-9d4e-4a5b-8c6d-0123456789ab';
const item = (over: Record<string, unknown> = {}) => ({
  id: '0b5e1c2d-3f4a-4b6c-9d8e-7f6a5b4c3d2e',
  safe_id: SAFE,
  kind: 'secret',
  revision: 7,
  deleted: false,
  ciphertext: { env: 'e', ver: '1', meta: 'AAAA', value: 'BBBB' },
  updated_at: '2026-12-03T06:00:00.000Z',
  ...over,
});
const fields = (n: number, name = (i: number) => `f${i}`) => Object.fromEntries(Array.from({ length: n }, (_, i) => [name(i), 'x']));

/** Items at and around every rule's edge, accepted and refused alike. */
const CASES: unknown[] = [
  item(),
  item({ deleted: true, ciphertext: {} }),
  item({ extra: 'dropped', ciphertext: { a: 'x' } }),
  item({ id: 'a'.repeat(128) }),
  item({ id: 'a'.repeat(129) }),
  item({ id: '' }),
  item({ id: 'a/b' }),
  item({ id: 'A_b.c:d-e' }),
  item({ id: 7 }),
  item({ safe_id: SAFE.toUpperCase() }),
  item({ safe_id: '00000000-0000-0000-0000-000000000000' }),
  item({ safe_id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' }),
  item({ safe_id: '3f2c1b7a-9d4e-0a5b-8c6d-0123456789ab' }),
  item({ safe_id: '3f2c1b7a-9d4e-4a5b-7c6d-0123456789ab' }),
  item({ safe_id: `${SAFE} ` }),
  item({ safe_id: undefined }),
  item({ kind: 'manifest' }),
  item({ kind: 'Secret' }),
  item({ kind: `s${'a'.repeat(63)}` }),
  item({ kind: `s${'a'.repeat(64)}` }),
  item({ kind: '1secret' }),
  item({ revision: 0 }),
  item({ revision: -0 }),
  item({ revision: -1 }),
  item({ revision: 1.5 }),
  item({ revision: 2 ** 53 - 1 }),
  item({ revision: 2 ** 53 }),
  item({ revision: '7' }),
  item({ deleted: 'false' }),
  item({ deleted: null }),
  item({ updated_at: 'x'.repeat(64) }),
  item({ updated_at: 'x'.repeat(65) }),
  item({ updated_at: 0 }),
  item({ ciphertext: fields(64) }),
  item({ ciphertext: fields(65) }),
  item({ ciphertext: { ['a'.repeat(64)]: 'x' } }),
  item({ ciphertext: { ['a'.repeat(65)]: 'x' } }),
  item({ ciphertext: { '': 'x' } }),
  item({ ciphertext: { 'a-b': 'x' } }),
  item({ ciphertext: { a: 1 } }),
  item({ ciphertext: { a: null } }),
  item({ ciphertext: { 123: 'x', b: 'y' } }),
  item({ ciphertext: { constructor: 'x', toString: 'y' } }),
  item({ ciphertext: JSON.parse('{"__proto__": "x", "a": "y"}') }),
  item({ ciphertext: [] }),
  item({ ciphertext: null }),
  item({ ciphertext: 'AAAA' }),
  JSON.parse('{"__proto__": {"id": "x"}}'),
  null,
  [],
  'item',
  Object.create(null),
];

describe('the pull page fast check', () => {
  it('accepts an item only where zod accepts it, with the same output', () => {
    let accepted = 0;
    for (const value of CASES) {
      const fast = fitItem(value);
      const zod = WireItem.safeParse(value);
      if (fast) {
        accepted++;
        expect(zod.success, JSON.stringify(value)).toBe(true);
        expect(fast).toStrictEqual(zod.data);
      }
    }
    expect(accepted).toBeGreaterThan(15);
  });

  it('takes and refuses whole pages as PullPage does', () => {
    const envelope = { cursor: 'c', hasMore: false, snapshot: true, fullResync: false };
    const pages: unknown[] = [
      ...CASES.map((value) => ({ ...envelope, items: [item(), value] })),
      { ...envelope, items: [] },
      { ...envelope, items: [item()], extra: 1 },
      { ...envelope, items: [item()], cursor: '' },
      { ...envelope, items: [item()], hasMore: 'no' },
      { ...envelope, items: {} },
      { items: [item()] },
      null,
    ];
    let refused = 0;
    for (const page of pages) {
      const want = PullPage.safeParse(page);
      const got = parsePullPage(page);
      if (!want.success) refused++;
      expect(got, JSON.stringify(page)).toStrictEqual(want.success ? want.data : undefined);
    }
    expect(refused).toBeGreaterThan(20);
  });

  it('agrees with zod on random changes to a good item', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const values: unknown[] = ['', 'x', 'A'.repeat(200), -1, 0, 3.5, 2 ** 60, true, false, null, {}, [], SAFE, 'secret', '__proto__'];
    const keys = ['id', 'safe_id', 'kind', 'revision', 'deleted', 'ciphertext', 'updated_at', 'other'];
    for (let n = 0; n < 3000; n++) {
      const value: Record<string, unknown> = item();
      for (let k = 0; k < 1 + Math.floor(next() * 2); k++) {
        const key = keys[Math.floor(next() * keys.length)]!;
        if (next() < 0.15) delete value[key];
        else value[key] = values[Math.floor(next() * values.length)];
      }
      const fast = fitItem(value);
      const zod = WireItem.safeParse(value);
      if (fast) expect(fast).toStrictEqual(zod.data);
      expect(!!(fast ?? zod.data), JSON.stringify(value)).toBe(zod.success);
    }
  });
});
