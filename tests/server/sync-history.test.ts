// History and Recently deleted across devices, through a real server, and against a hostile one:
// a secret's earlier versions travel with it sealed and bound (lib/vault/history.ts), so a server
// cannot strip them, swap them between secrets or pair one version's history with another's value;
// a deletion carries the deleted secret's remains, and bringing it back is a version above it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, injectIntoPulls, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

describe.each(backends)('history and Recently deleted over sync (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const DEV = { safeName: 'Personal', envName: 'Development' };

  /** Two devices of one account; `seen` keeps every item version B was sent, by id. */
  async function pair(): Promise<{ a: Device; b: Device; seen: Map<string, Record<string, any>[]> }> {
    const a = await device();
    await newVault(a);
    await a.vault.updateSettings({ deviceName: 'Work laptop' });
    await a.vault.create({ ...DEV, keyValuePairs: { X: 'x-1', Y: 'y-1' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await device();
    const seen = new Map<string, Record<string, any>[]>();
    b.fault = rewritePulls((items) => {
      for (const item of items) seen.set(item.id, [...(seen.get(item.id) ?? []), structuredClone(item)]);
    });
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    return { a, b, seen };
  }

  const idOf = async (d: Device, key: string) => (await d.vault.search(key)).hits.find((h) => h.key === key)!.id;

  it('history syncs to a second device: each earlier version with its time and device, revealed there', async () => {
    const { a, b } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.vault.update({ ...DEV, key: 'X', value: 'x-3' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const history = await b.vault.history(x);
    expect(history.current.by).toEqual({ device: 'Work laptop' });
    expect(history.versions.map((v) => [v.ver, v.by.device])).toEqual([
      [2, 'Work laptop'],
      [1, 'Work laptop'],
    ]);
    expect((await b.vault.revealVersion(x, 1)).value).toBe('x-1');
    // A restore on B is a new version that A takes, history and all.
    await b.vault.restoreVersion(x, 1);
    await b.engine.syncNow();
    await a.engine.syncNow();
    expect(await contents(a.vault)).toContain('Personal/Development/X=x-1');
    expect((await a.vault.history(x)).versions.map((v) => v.ver)).toEqual([3, 2, 1]);
  });

  it('a server that strips the history, swaps it between secrets or keeps an older one is refused; the history held stays', async () => {
    const { a, b, seen } = await pair();
    const [x, y] = [await idOf(a, 'X'), await idOf(a, 'Y')];
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.vault.update({ ...DEV, key: 'Y', value: 'y-2' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const before = { contents: await contents(b.vault), x: await b.vault.history(x), y: await b.vault.history(y) };
    expect(before.x.versions).toHaveLength(1);
    const olderX = seen.get(x)!.at(-1)!.ciphertext.history as string;

    const attacks: [string, (items: Record<string, any>[]) => void][] = [
      [
        'stripped',
        (items) => {
          for (const i of items) if (i.kind === 'secret') delete i.ciphertext.history;
        },
      ],
      [
        'swapped',
        (items) => {
          const [p, q] = items.filter((i) => i.kind === 'secret');
          if (p && q) [p.ciphertext.history, q.ciphertext.history] = [q.ciphertext.history, p.ciphertext.history];
        },
      ],
      [
        'an older version of the same secret',
        (items) => {
          for (const i of items) if (i.id === x) i.ciphertext.history = olderX;
        },
      ],
    ];
    let n = 3;
    for (const [name, edit] of attacks) {
      // New versions each time (B refuses what it was sent, and the cursor moves past it).
      await a.vault.update({ ...DEV, key: 'X', value: `x-${n}` });
      await a.vault.update({ ...DEV, key: 'Y', value: `y-${n++}` });
      await a.engine.syncNow();
      b.fault = rewritePulls(edit);
      const damaged = (await b.engine.syncNow()).damaged;
      const onlyX = name === 'an older version of the same secret';
      expect(damaged, name).toBe(onlyX ? 1 : 2);
      expect(await contents(b.vault), name).toContain('Personal/Development/X=x-2');
      expect(await b.vault.history(x), name).toEqual(before.x);
      if (!onlyX) expect(await contents(b.vault), name).toEqual(before.contents);
      if (!onlyX) expect(await b.vault.history(y), name).toEqual(before.y);
    }
  });

  it('the history seals to a size bucket: earlier values of other lengths send the same length; a first version, whose number says so anyway, sends none', async () => {
    const { a, b, seen } = await pair();
    await a.vault.create({ ...DEV, keyValuePairs: { Z: 'never edited', P: 'p', Q: 'q-a-value-thirty-characters-long' } });
    const [x, y] = [await idOf(a, 'P'), await idOf(a, 'Q')];
    await a.vault.update({ ...DEV, key: 'P', value: 'p-2' });
    await a.vault.update({ ...DEV, key: 'Q', value: 'q-2' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const sizeOf = (id: string) => (seen.get(id)!.at(-1)!.ciphertext.history as string).length;
    expect((await b.vault.history(y)).versions).toHaveLength(1);
    expect(sizeOf(x)).toBe(sizeOf(y));
    const first = seen.get(await idOf(b, 'Z'))!.at(-1)!;
    expect(first.ciphertext.ver).toBe('1');
    expect(first.ciphertext.history).toBeUndefined();
  });

  it('a secret deleted on one device is in Recently deleted on the other; brought back there, it returns everywhere', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
    expect(await b.vault.recentlyDeleted()).toEqual([expect.objectContaining({ id: x, key: 'X', envName: 'Development' })]);
    const tombstone = seen.get(x)!.at(-1)!;
    const lastLive = seen
      .get(x)!
      .filter((i) => !i.deleted)
      .at(-1)!;
    expect(tombstone.deleted).toBe(true);

    await b.vault.restoreDeleted(x);
    expect(await contents(b.vault)).toContain('Personal/Development/X=x-2');
    await b.engine.syncNow();
    await a.engine.syncNow();
    expect(await contents(a.vault)).toContain('Personal/Development/X=x-2');
    expect(await a.vault.recentlyDeleted()).toEqual([]);
    expect((await a.vault.history(x)).versions.map((v) => v.ver)).toEqual([1]);

    // The server replays the deletion, then the copy it kept from before: both older, both refused.
    for (const replay of [tombstone, lastLive]) {
      a.fault = injectIntoPulls(() => [replay]);
      expect((await a.engine.syncNow()).damaged).toBe(1);
      expect(await contents(a.vault)).toContain('Personal/Development/X=x-2');
    }
  });

  it('a server cannot bring a deleted secret back by itself: the copy it kept is refused, and Recently deleted keeps it there', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const kept = seen
      .get(x)!
      .filter((i) => !i.deleted)
      .at(-1)!;
    b.fault = injectIntoPulls(() => [kept]);
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
    expect((await b.vault.recentlyDeleted()).map((d) => d.id)).toEqual([x]);
  });
});
