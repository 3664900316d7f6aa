// History and Recently deleted across devices, through a real server, and against a hostile one:
// a secret's earlier versions stay on the devices that held them (lib/vault/history.ts), and a device
// that missed some takes them from the copies the server kept, each opened with its binding, so a
// server can withhold versions but not hand over another secret's, move or renumber one; a deletion
// carries the deleted secret's remains, and bringing it back is a version above it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cipherFromWire, cipherToWire } from '../../lib/vault/cipher-wire';
import { openJson, sealPaddedJson, sealPaddedText } from '../../lib/vault/cipher';
import { secretAd } from '../../lib/vault/binding';
import type { VaultContext } from '../../lib/vault/context';
import { sealHistory } from '../../lib/vault/history';
import { unlocked } from '../../lib/vault/session-keys';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, injectIntoPulls, jsonResponse, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

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

  /** A safe's key on a device (to write items as an earlier Keysmith did). */
  const safeKeyOf = async (d: Device, safeId: string) => {
    const ctx = (d.vault as unknown as { ctx: VaultContext }).ctx;
    return (await unlocked(ctx)).safeKey((await ctx.db.get('safes', safeId))!);
  };

  /** How many earlier versions of an item the server keeps (item_revisions). */
  const keptOnServer = async (id: string) => {
    const result = await server.database.db.execute(sql`select count(*)::int as n from item_revisions where item_id = ${id}`);
    return Number(((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[])[0]!.n);
  };

  /** A pair where A deleted X and both synced: it is in Recently deleted on both. */
  async function deletedOnBoth() {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    return { a, b, x, seen };
  }

  /** A pair where X went to version 2 on both, then A deleted it (not sent yet). */
  async function editedThenDeletedOnA() {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    return { a, b, x, seen };
  }

  const idOf = async (d: Device, key: string) => (await d.vault.search(key)).hits.find((h) => h.key === key)!.id;

  it('each device keeps the versions it held; one that missed some takes them from the copies the server kept', async () => {
    const { a, b } = await pair();
    const x = await idOf(a, 'X');
    for (const value of ['x-2', 'x-3']) {
      await a.vault.update({ ...DEV, key: 'X', value });
      await a.engine.syncNow();
    }
    await b.engine.syncNow();
    // B held version 1 only: version 2 never reached it (the server replaced it with version 3 and kept it).
    expect((await b.vault.history(x)).versions.map((v) => v.ver)).toEqual([1]);
    expect(await b.engine.earlierVersions(x)).toEqual({ added: 1, refused: 0 });
    const history = await b.vault.history(x);
    expect(history.current.by).toEqual({ device: 'Work laptop' });
    expect(history.versions.map((v) => [v.ver, v.by.device])).toEqual([
      [2, 'Work laptop'],
      [1, 'Work laptop'],
    ]);
    expect((await b.vault.revealVersion(x, 2)).value).toBe('x-2');
    expect((await b.vault.revealVersion(x, 1)).value).toBe('x-1');
    // Asked again, nothing new.
    expect(await b.engine.earlierVersions(x)).toEqual({ added: 0, refused: 0 });
    // A restore on B is a new version; A takes it and keeps the one it replaced.
    await b.vault.restoreVersion(x, 1);
    await b.engine.syncNow();
    await a.engine.syncNow();
    expect(await contents(a.vault)).toContain('Personal/Development/X=x-1');
    expect((await a.vault.history(x)).versions.map((v) => v.ver)).toEqual([3, 2, 1]);
  });

  it('an edit sends one version and no history: its item weighs what a first version weighs', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    for (let n = 2; n <= 6; n++) await a.vault.update({ ...DEV, key: 'X', value: `x-${n}` });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const [first, edited] = [seen.get(x)![0]!, seen.get(x)!.at(-1)!];
    expect(edited.ciphertext.ver).toBe('6');
    expect(Object.keys(edited.ciphertext).sort()).toEqual(['env', 'meta', 'value', 'ver']);
    expect(JSON.stringify(edited.ciphertext).length).toBe(JSON.stringify(first.ciphertext).length);
    expect((await a.vault.history(x)).versions).toHaveLength(5);
  });

  it("copies the server kept that are not this secret's, or renumbered, are refused and counted; the history held stays", async () => {
    const { a, b } = await pair();
    const [x, y] = [await idOf(a, 'X'), await idOf(a, 'Y')];
    for (const n of [2, 3]) {
      await a.vault.update({ ...DEV, key: 'X', value: `x-${n}` });
      await a.vault.update({ ...DEV, key: 'Y', value: `y-${n}` });
      await a.engine.syncNow();
    }
    await a.engine.syncNow();
    await b.engine.syncNow();
    const before = await b.vault.history(x);
    const keptOf = async (id: string) => {
      const session = (await b.engine.liveSession())!;
      const answer = await fetch(`${server.url}/api/v1/items/${id}/revisions`, {
        headers: { authorization: `Bearer ${session.token}`, 'x-active-org-id': session.orgId },
      });
      return ((await answer.json()) as { revisions: Record<string, any>[] }).revisions;
    };
    const ofY = await keptOf(y);
    const ofX = await keptOf(x);
    expect(ofX.map((r) => r.ciphertext.ver)).toEqual(['2', '1']);
    const attacks: [string, () => Record<string, any>[]][] = [
      ["Y's copies handed over as X's", () => ofY.map((r) => ({ ...r, id: x }))],
      ['version 1 renumbered as version 2', () => [{ ...ofX[1]!, ciphertext: { ...ofX[1]!.ciphertext, ver: '2' } }]],
      ['a copy moved to another environment', () => [{ ...ofX[0]!, ciphertext: { ...ofX[0]!.ciphertext, env: ofY[0]!.safe_id } }]],
    ];
    for (const [name, revisions] of attacks) {
      const forged = revisions();
      b.fault = async (url, _init, pass) => (url.pathname.endsWith('/revisions') ? jsonResponse(200, { revisions: forged }) : pass());
      expect(await b.engine.earlierVersions(x), name).toEqual({ added: 0, refused: forged.length });
      expect(await b.vault.history(x), name).toEqual(before);
    }
    // Withheld: nothing to add, and nothing lost.
    b.fault = async (url, _init, pass) => (url.pathname.endsWith('/revisions') ? jsonResponse(200, { revisions: [] }) : pass());
    expect(await b.engine.earlierVersions(x)).toEqual({ added: 0, refused: 0 });
    expect(await b.vault.history(x)).toEqual(before);
    // An answer that is not copies of this item is no answer: nothing taken.
    b.fault = async (url, _init, pass) => (url.pathname.endsWith('/revisions') ? jsonResponse(200, { revisions: ofY }) : pass());
    await expect(b.engine.earlierVersions(x)).rejects.toThrow();
    b.fault = undefined;
    expect(await b.engine.earlierVersions(x)).toEqual({ added: 1, refused: 0 });
  });

  it('a version sent with its history by an earlier Keysmith is taken with it; that history stripped, swapped or older is refused', async () => {
    const { a, b, seen } = await pair();
    const [x, y] = [await idOf(a, 'X'), await idOf(a, 'Y')];
    const safeKey = await safeKeyOf(a, seen.get(x)![0]!.safe_id);
    let ver = 1;
    /** X and Y at the next version, as a Keysmith that sent histories wrote them: the meta says one is there. */
    const legacy = async () => {
      ver++;
      return Promise.all(
        [x, y].map(async (id) => {
          const item = seen.get(id)![0]!;
          const place = { id, safeId: item.safe_id, envId: item.ciphertext.env, ver };
          const meta = await openJson<Record<string, unknown>>(
            safeKey,
            cipherFromWire(item.ciphertext.meta),
            secretAd({ ...place, ver: 1 }, 'meta'),
          );
          const earlier = [
            {
              ver: ver - 1,
              at: 1,
              by: { device: 'Old laptop' },
              meta: { key: meta.key, path: meta.path, tags: [] },
              value: `${id === x ? 'x' : 'y'}-old-${ver - 1}`,
            },
          ];
          const [sealedMeta, value, history] = await Promise.all([
            sealPaddedJson(safeKey, { ...meta, writtenAt: 2, history: true }, secretAd(place, 'meta'), 256),
            sealPaddedText(safeKey, `${id === x ? 'x' : 'y'}-legacy-${ver}`, secretAd(place, 'value')),
            sealHistory(safeKey, place, earlier as never),
          ]);
          return {
            ...item,
            ciphertext: {
              ...item.ciphertext,
              ver: String(ver),
              meta: cipherToWire(sealedMeta),
              value: cipherToWire(value),
              history: cipherToWire(history),
            },
          };
        }),
      );
    };
    const [oldX] = await legacy();
    const attacks: [string, (items: Record<string, any>[]) => void][] = [
      [
        'stripped',
        (items) => {
          for (const i of items) delete i.ciphertext.history;
        },
      ],
      ['swapped', ([p, q]) => ([p!.ciphertext.history, q!.ciphertext.history] = [q!.ciphertext.history, p!.ciphertext.history])],
      ['an older version of the same secret', ([p]) => (p!.ciphertext.history = oldX!.ciphertext.history)],
    ];
    for (const [name, edit] of attacks) {
      const before = { contents: await contents(b.vault), x: await b.vault.history(x) };
      const items = await legacy();
      edit(items);
      b.fault = injectIntoPulls(() => items);
      expect((await b.engine.syncNow()).damaged, name).toBe(name === 'an older version of the same secret' ? 1 : 2);
      expect(await b.vault.history(x), name).toEqual(before.x);
      expect(await contents(b.vault), name).toContain('Personal/Development/X=x-1');
    }
    // Untouched, it is taken with the history it carries.
    const items = await legacy();
    b.fault = injectIntoPulls(() => items);
    expect((await b.engine.syncNow()).damaged).toBe(0);
    expect(await contents(b.vault)).toContain(`Personal/Development/X=x-legacy-${ver}`);
    expect((await b.vault.history(x)).versions.map((v) => [v.ver, v.by.device])).toEqual([[ver - 1, 'Old laptop']]);
    expect((await b.vault.revealVersion(x, ver - 1)).value).toBe(`x-old-${ver - 1}`);
  });

  it('a secret deleted on one device is in Recently deleted on the other; brought back there, it returns everywhere', async () => {
    const { a, b, x, seen } = await editedThenDeletedOnA();
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
    // A's record went with the deletion; the server kept version 1 and the deleted version 2.
    expect(await a.engine.earlierVersions(x)).toEqual({ added: 2, refused: 0 });
    expect((await a.vault.history(x)).versions.map((v) => v.ver)).toEqual([2, 1]);

    // The server replays the deletion, then the copy it kept from before: both older, both refused.
    for (const replay of [tombstone, lastLive]) {
      a.fault = injectIntoPulls(() => [replay]);
      expect((await a.engine.syncNow()).damaged).toBe(1);
      expect(await contents(a.vault)).toContain('Personal/Development/X=x-2');
    }
  });

  it('brought back where a personal override of it outlived the deletion: shown with that override, as on the other device', async () => {
    const { a, b } = await pair();
    const x = await idOf(a, 'X');
    await b.vault.update({ ...DEV, key: 'X', value: 'x-mine', override: true });
    await b.engine.syncNow();
    // A deletes X before it learns of the override (so no deletion of the override goes with it),
    // then takes the override in, keeping it while the secret is gone.
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.vault.restoreDeleted(x);
    for (const d of [a, b, a]) expect(await d.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0, conflicts: 0 });
    for (const d of [a, b]) expect(await contents(d.vault)).toContain('Personal/Development/X=x-mine (mine)');
  });

  it('a server cannot bring a deleted secret back by itself: the copy it kept is refused, and Recently deleted keeps it there', async () => {
    const { b, x, seen } = await deletedOnBoth();
    const kept = seen
      .get(x)!
      .filter((i) => !i.deleted)
      .at(-1)!;
    b.fault = injectIntoPulls(() => [kept]);
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
    expect((await b.vault.recentlyDeleted()).map((d) => d.id)).toEqual([x]);
  });

  it('deleted forever on one device: gone from Recently deleted on both, the server drops its kept versions, and it cannot come back', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect((await b.vault.recentlyDeleted()).map((d) => d.id)).toEqual([x]);
    const deletion = seen.get(x)!.at(-1)!;
    const kept = () => keptOnServer(x);
    expect(await kept()).toBe(2);

    // On the device that deleted it (its listing knows the server's copy from before the deletion).
    await a.vault.deleteForever(x);
    expect(await a.vault.recentlyDeleted()).toEqual([]);
    await expect(a.vault.restoreDeleted(x)).rejects.toMatchObject({ code: 'not_found' });
    await expect(a.vault.deleteForever(x)).rejects.toMatchObject({ code: 'not_found' });
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await kept()).toBe(0);
    expect(await b.vault.recentlyDeleted()).toHaveLength(1);
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await b.vault.recentlyDeleted()).toEqual([]);

    // The first deletion replayed (with its remains) does not put it back in Recently deleted.
    b.fault = injectIntoPulls(() => [deletion]);
    await b.engine.syncNow();
    expect(await b.vault.recentlyDeleted()).toEqual([]);
  });

  it('deleted, then deleted forever before the deletion was sent: the server keeps nothing of it, and no device lists it', async () => {
    const { a, b, x } = await editedThenDeletedOnA();
    await a.vault.deleteForever(x);
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await keptOnServer(x)).toBe(0);
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
    expect(await b.vault.recentlyDeleted()).toEqual([]);
  });

  it('deleted forever where its environment was deleted meanwhile: nothing to take out of the list, nothing refused', async () => {
    const { a, b, x } = await deletedOnBoth();
    await a.vault.deleteForever(x);
    await b.vault.deleteEnvironment((await b.vault.listSafes())[0]!.environments.find((e) => e.name === 'Development')!.id);
    await b.engine.syncNow();
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await keptOnServer(x)).toBe(0);
    for (const d of [a, b]) expect(await d.vault.recentlyDeleted()).toEqual([]);
  });

  it('deleted forever before its deletion was sent, while another device edited it unseen: that edit wins, on both', async () => {
    const { a, b } = await pair();
    const x = await idOf(a, 'X');
    await b.vault.update({ ...DEV, key: 'X', value: 'x-from-b' });
    await b.engine.syncNow();
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.vault.deleteForever(x);
    for (const d of [a, b, a]) expect(await d.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    for (const d of [a, b]) expect(await contents(d.vault)).toContain('Personal/Development/X=x-from-b');
    expect(await keptOnServer(x)).toBe(1);
  });

  it('deleted forever while its deletion is on the wire: the erase still goes after it', async () => {
    const { a, b, x } = await editedThenDeletedOnA();
    let erased = false;
    a.fault = async (url, init, pass) => {
      const answer = await pass();
      if (!erased && url.pathname === '/api/v1/items/batch' && String(init.body).includes('"deleted":true')) {
        erased = true;
        await a.vault.deleteForever(x);
      }
      return answer;
    };
    await a.engine.syncNow();
    a.fault = undefined;
    expect(erased).toBe(true);
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    expect(await keptOnServer(x)).toBe(0);
    expect(await b.vault.recentlyDeleted()).toEqual([]);
  });

  it('a server cannot empty Recently deleted: a deletion over it that no device sealed is refused, and the secret stays listed', async () => {
    const { b, x, seen } = await deletedOnBoth();
    const deletion = seen.get(x)!.at(-1)!;
    // Above the listed deletion, but its seal is that deletion's (bound to the older version), or none.
    const above = {
      ...deletion,
      revision: deletion.revision + 1,
      ciphertext: { ...deletion.ciphertext, ver: String(Number(deletion.ciphertext.ver) + 1) },
    };
    const unsealed = { ...above, revision: deletion.revision + 2, ciphertext: { ver: above.ciphertext.ver } };
    for (const forged of [above, unsealed]) {
      b.fault = injectIntoPulls(() => [forged]);
      expect((await b.engine.syncNow()).damaged).toBe(1);
      expect((await b.vault.recentlyDeleted()).map((d) => d.id)).toEqual([x]);
    }
  });

  it('deleted forever on one device while brought back on the other: the secret comes back on both, nothing is lost', async () => {
    const { a, b, x } = await deletedOnBoth();
    await b.vault.restoreDeleted(x);
    await a.vault.deleteForever(x);
    await b.engine.syncNow();
    await a.engine.syncNow();
    await b.engine.syncNow();
    for (const d of [a, b]) {
      expect(await contents(d.vault)).toContain('Personal/Development/X=x-1');
      expect(await d.vault.recentlyDeleted()).toEqual([]);
      expect(await d.engine.status()).toMatchObject({ waiting: 0, damaged: 0, conflicts: 0 });
    }
  });
});
