// A conflict found by one device is shown on every device of the account until it is settled:
// three devices and a new one, each way of settling, and what the server may and may not do with a
// mark (lib/sync/conflict-marks.ts). Real server over HTTP, real vaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };

describe.each(backends)('conflicts on every device (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function signIn(account: string): Promise<Device> {
    const d = await device();
    expect((await d.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER })).lastError).toBeUndefined();
    return d;
  }

  /** A, B and C share an account and DB_URL, synced. */
  async function threeDevices(): Promise<{ a: Device; b: Device; c: Device; account: string }> {
    const a = await device();
    await newVault(a);
    await a.vault.create({ ...where, keyValuePairs: [{ key: 'DB_URL', value: 'postgres://zebra-0' }] });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    return { a, b: await signIn(account), c: await signIn(account), account };
  }

  /** A, B and C share an account; A and B edit DB_URL at once, A syncs first, B finds the conflict. */
  async function conflictOnB(): Promise<{ a: Device; b: Device; c: Device; account: string }> {
    const { a, b, c, account } = await threeDevices();
    await a.vault.update({ ...where, key: 'DB_URL', value: 'from-a-zebra' });
    await b.vault.update({ ...where, key: 'DB_URL', value: 'from-b-zebra' });
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0 });
    expect(await b.engine.syncNow()).toMatchObject({ conflicts: 1, held: 1 });
    return { a, b, c, account };
  }

  /** A few more syncs, then both devices hold A's value and B's as the copy, with nothing left over. */
  async function expectBothKept(a: Device, b: Device): Promise<void> {
    for (const d of [b, a, b, a]) await d.engine.syncNow();
    for (const d of [a, b]) {
      expect(await d.engine.status()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
      expect(await contents(d.vault)).toEqual([
        'Personal/Development/api/DB_URL=from-a-zebra',
        'Personal/Development/api/DB_URL_CONFLICT=from-b-zebra',
      ]);
    }
  }

  it('the device that synced first, a third one and a new one all show the conflict, with both values and versions', async () => {
    const { a, c, account } = await conflictOnB();
    const status = await a.engine.syncNow();
    expect(status).toMatchObject({ conflicts: 1, waiting: 0, damaged: 0 });
    expect(status.held).toBeUndefined(); // nothing of A's waits: only the choice does
    const [onA] = await a.engine.local.listConflicts();
    expect(onA).toMatchObject({ mine: { key: 'DB_URL', value: 'from-a-zebra' }, theirs: { key: 'DB_URL', value: 'from-b-zebra' } });
    expect(onA!.written?.theirs?.ver).toBeGreaterThan(0);
    expect(await c.engine.syncNow()).toMatchObject({ conflicts: 1, damaged: 0 });
    expect((await c.engine.local.listConflicts())[0]).toMatchObject({ mine: { value: 'from-a-zebra' }, theirs: { value: 'from-b-zebra' } });
    const d = await signIn(account);
    expect(await d.engine.status()).toMatchObject({ conflicts: 1, damaged: 0 });

    // The server stores the mark sealed: no key name or value in the clear.
    const rows = await server.database.db.execute(sql`SELECT id, kind, ciphertext FROM items WHERE kind = 'conflict'`);
    const dump = JSON.stringify(rows);
    expect(dump).toContain('.conflict');
    for (const word of ['DB_URL', 'zebra', 'from-b', 'from-a', 'Personal', 'Development', '/api']) expect(dump, word).not.toContain(word);
  });

  it('settled on the device that synced first (Keep theirs): every device ends with the choice and no conflict', async () => {
    const { a, b, c } = await conflictOnB();
    await a.engine.syncNow();
    await c.engine.syncNow();
    const [onA] = await a.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'theirs');
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0 });
    for (const d of [b, c, a]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    for (const d of [a, b, c]) expect(await contents(d.vault)).toEqual(['Personal/Development/api/DB_URL=from-b-zebra']);
  });

  it("Keep both on the device that synced first, pulled by the finder between the choice's secrets and its mark: the finder takes the choice, no conflict comes back", async () => {
    const { a, b } = await conflictOnB();
    await a.engine.syncNow();
    const [onA] = await a.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'both');
    // The finder syncs while A's run is between its writes: as soon as one half of the choice is on
    // the server, before the other.
    let pulledBetween = false;
    a.fault = async (_url, init, pass) => {
      if (!pulledBetween && init.method === 'POST') {
        const answer = await pass();
        pulledBetween = true;
        await b.engine.syncNow();
        return answer;
      }
      return pass();
    };
    await a.engine.syncNow();
    a.fault = undefined;
    expect(pulledBetween).toBe(true);
    await expectBothKept(a, b);
  });

  it("Keep both on the device that synced first, its mark's deletion landing between the finder's pull and its new mark: the mark is not made again", async () => {
    const { a, b } = await conflictOnB();
    await a.engine.syncNow();
    const [onA] = await a.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'both');
    // B pulls A's choice (the secrets) and, seeing the server's copy moved, marks its conflict again;
    // A's deletion of the old mark reaches the server just before that new mark does.
    const marking = (init: RequestInit) => init.method === 'POST' && String(init.body).includes('.conflict');
    let bAtMark!: () => void;
    const bMarks = new Promise<void>((resolve) => (bAtMark = resolve));
    let aDeleted!: () => void;
    const aDeletes = new Promise<void>((resolve) => (aDeleted = resolve));
    let secretsSent!: () => void;
    const aSent = new Promise<void>((resolve) => (secretsSent = resolve));
    a.fault = async (_url, init, pass) => {
      if (!marking(init)) {
        const answer = await pass();
        if (init.method === 'POST') secretsSent();
        return answer;
      }
      await bMarks;
      const answer = await pass();
      aDeleted();
      return answer;
    };
    b.fault = async (_url, init, pass) => {
      if (marking(init)) {
        bAtMark();
        await aDeletes;
      }
      return pass();
    };
    const aRun = a.engine.syncNow();
    await aSent;
    await b.engine.syncNow();
    await aRun;
    a.fault = b.fault = undefined;
    await expectBothKept(a, b);
  });

  it("Keep both on a device that shows another's conflict: the finder's copy is no server version, so a later one numbered like it is taken", async () => {
    const { a, b, c } = await threeDevices();
    // A sends version 2; B edits twice unsent (its copy is version 3) and finds the conflict.
    await a.vault.update({ ...where, key: 'DB_URL', value: 'from-a-zebra' });
    await a.engine.syncNow();
    await b.vault.update({ ...where, key: 'DB_URL', value: 'from-b-zebra' });
    await b.vault.update({ ...where, key: 'DB_URL', value: 'from-b-again-zebra' });
    expect(await b.engine.syncNow()).toMatchObject({ conflicts: 1, held: 1 });
    // C shows it from B's mark; A meanwhile sends its version 3, which C has not seen.
    expect(await c.engine.syncNow()).toMatchObject({ conflicts: 1 });
    await a.vault.update({ ...where, key: 'DB_URL', value: 'from-a-later-zebra' });
    await a.engine.syncNow();
    const [onC] = await c.engine.local.listConflicts();
    await c.engine.local.resolveConflict(onC!.id, 'both');
    // C meets A's version 3 as a new conflict, never as a replay of B's copy.
    for (let round = 0; round < 4; round++) {
      for (const d of [c, a, b]) {
        for (const conflict of await d.engine.local.listConflicts()) await d.engine.local.resolveConflict(conflict.id, 'both');
        expect((await d.engine.syncNow()).damaged).toBe(0);
      }
    }
    for (const d of [a, b, c]) expect(await d.engine.status()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    const final = await contents(a.vault);
    for (const d of [b, c]) expect(await contents(d.vault)).toEqual(final);
    expect(final.join('\n')).toContain('from-a-later-zebra');
    expect(final.join('\n')).toContain('from-b-again-zebra');
  });

  it('settled on a third device (Keep mine): the finder drops its held edit, everyone shows the choice', async () => {
    const { a, b, c } = await conflictOnB();
    await c.engine.syncNow();
    const [onC] = await c.engine.local.listConflicts();
    await c.engine.local.resolveConflict(onC!.id, 'mine');
    await c.engine.syncNow();
    for (const d of [a, b, c]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    expect((await b.engine.status()).held).toBeUndefined();
    for (const d of [a, b, c]) expect(await contents(d.vault)).toEqual(['Personal/Development/api/DB_URL=from-a-zebra']);
  });

  it.each(['mine', 'theirs', 'both'] as const)('settled on the finder (Keep %s): the others end their view', async (choice) => {
    const { a, b, c } = await conflictOnB();
    await a.engine.syncNow();
    const [onB] = await b.engine.local.listConflicts();
    await b.engine.local.resolveConflict(onB!.id, choice);
    await b.engine.syncNow();
    for (const d of [a, c, b]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    const expected = {
      mine: ['Personal/Development/api/DB_URL=from-b-zebra'],
      theirs: ['Personal/Development/api/DB_URL=from-a-zebra'],
      both: ['Personal/Development/api/DB_URL=from-a-zebra', 'Personal/Development/api/DB_URL_CONFLICT=from-b-zebra'],
    }[choice];
    for (const d of [a, b, c]) expect(await contents(d.vault)).toEqual(expected);
  });

  it('Keep both chosen on two devices at once makes the same secrets on both: no new conflict', async () => {
    const { a, b, c } = await conflictOnB();
    await a.engine.syncNow();
    const [onA] = await a.engine.local.listConflicts();
    const [onB] = await b.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'both');
    await b.engine.local.resolveConflict(onB!.id, 'both');
    await a.engine.syncNow();
    await b.engine.syncNow();
    for (const d of [a, c, b, a]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    const both = ['Personal/Development/api/DB_URL=from-a-zebra', 'Personal/Development/api/DB_URL_CONFLICT=from-b-zebra'];
    for (const d of [a, b, c]) expect(await contents(d.vault)).toEqual(both);
  });

  it('a hostile server: an old mark replayed after the choice is not shown; a secret copy passed off as a mark is refused', async () => {
    const { a, b } = await conflictOnB();
    let mark: Record<string, any> | undefined;
    a.fault = rewritePulls((items) => {
      mark ??= items.find((i) => i.kind === 'conflict');
    });
    await a.engine.syncNow();
    expect(mark).toBeDefined();
    const [onA] = await a.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'mine');
    a.fault = undefined;
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(await a.engine.status()).toMatchObject({ conflicts: 0 });

    // Replayed at a new revision: the choice is a version above the mark's, so nothing is shown.
    a.fault = rewritePulls((items) => items.push({ ...mark!, revision: 10_000 }));
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, damaged: 0 });

    // An old sealing of the secret, with no mark seal or with another version's: refused, never shown.
    await b.vault.update({ ...where, key: 'DB_URL', value: 'from-b-again' });
    await b.engine.syncNow();
    await a.engine.syncNow();
    const forged = (m: Record<string, string>) => ({ ...mark!, revision: 20_000, ciphertext: m });
    a.fault = rewritePulls((items) => items.push(forged({ ...mark!.ciphertext, ver: String(Number(mark!.ciphertext.ver) + 5) })));
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, damaged: 1 });
    const { mark: _seal, ...bare } = mark!.ciphertext;
    a.fault = rewritePulls((items) => items.push(forged(bare)));
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, damaged: 1 });
    expect(await contents(a.vault)).toEqual(['Personal/Development/api/DB_URL=from-b-again']);
  });
});
