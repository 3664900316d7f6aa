// A personal override changed on two devices at once is shown on every device of the account until
// it is settled, as a secret's conflict is (lib/sync/conflict-marks.ts): its mark is sealed with the
// vault key, like the override, and the server can neither invent one, move one, nor bring one back.
// Name clashes need no mark: every device receives both secrets and finds the clash itself.
// Real server over HTTP, real vaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openJson } from '../../lib/vault/cipher';
import { cipherFromWire } from '../../lib/vault/cipher-wire';
import { boundAd } from '../../lib/vault/binding';
import type { VaultContext } from '../../lib/vault/context';
import { unlocked } from '../../lib/vault/session-keys';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

const PROD = { safeName: 'Personal', envName: 'Production' };
const TOKEN = { ...PROD, key: 'API_TOKEN', override: true };
const line = (value: string) => `Personal/Production!/API_TOKEN=${value} (mine)`;
const ctxOf = (d: Device) => (d.vault as unknown as { ctx: VaultContext }).ctx;
const idOf = async (d: Device, key: string) => (await d.vault.search(key)).hits.find((h) => h.key === key)!.id;

interface MarkRow {
  id: string;
  safe_id: string;
  deleted: boolean;
  ciphertext: Record<string, string>;
}

describe.each(backends)('personal override conflicts on every device (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The marks the server holds for a device's safes (deleted ones too). */
  async function marksOf(d: Device): Promise<MarkRow[]> {
    const rows: MarkRow[] = [];
    for (const safe of await d.vault.listSafes()) {
      const result = (await server.database.db.execute(
        sql`SELECT id, safe_id, deleted, ciphertext FROM items WHERE kind = 'conflict' AND safe_id = ${safe.id}`,
      )) as unknown as { rows: MarkRow[] } | MarkRow[];
      for (const row of Array.isArray(result) ? result : result.rows)
        rows.push({ ...row, ciphertext: typeof row.ciphertext === 'string' ? JSON.parse(row.ciphertext) : row.ciphertext });
    }
    return rows;
  }

  async function signIn(account: string): Promise<Device> {
    const d = await device();
    expect((await d.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER })).lastError).toBeUndefined();
    return d;
  }

  /** A, B and C share an account; A and B change API_TOKEN's override at once, A syncs first, B finds the conflict. */
  async function conflictOnB(): Promise<{ a: Device; b: Device; c: Device; account: string }> {
    const a = await device();
    await newVault(a);
    await a.vault.create({ ...PROD, keyValuePairs: { API_TOKEN: 'tok-shared-zebra', OTHER: 'other-shared' } });
    await a.vault.update({ ...TOKEN, value: 'ovr-0' });
    await a.vault.update({ ...PROD, key: 'OTHER', value: 'other-mine', override: true });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await signIn(account);
    const c = await signIn(account);
    await a.vault.update({ ...TOKEN, value: 'ovr-a-zebra' });
    await b.vault.update({ ...TOKEN, value: 'ovr-b-zebra' });
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0 });
    expect(await b.engine.syncNow()).toMatchObject({ conflicts: 1 });
    return { a, b, c, account };
  }

  it('the device that synced first, a third one and a new one all show it, with both values; the mark is sealed with the vault key', async () => {
    const { a, b, c, account } = await conflictOnB();
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 1, waiting: 0, damaged: 0 });
    const [onA] = await a.engine.local.listConflicts();
    expect(onA).toMatchObject({ kind: 'override', mine: { key: 'API_TOKEN', value: 'ovr-a-zebra' }, theirs: { value: 'ovr-b-zebra' } });
    // Until the choice, each device keeps using its own value.
    expect(await contents(a.vault)).toContain(line('ovr-a-zebra'));
    expect(await c.engine.syncNow()).toMatchObject({ conflicts: 1, damaged: 0 });
    expect((await c.engine.local.listConflicts())[0]).toMatchObject({
      kind: 'override',
      mine: { value: 'ovr-a-zebra' },
      theirs: { value: 'ovr-b-zebra' },
    });
    const d = await signIn(account);
    expect(await d.engine.status()).toMatchObject({ conflicts: 1, damaged: 0 });

    // On the server: `<secret id>.override.conflict`, nothing in the clear.
    const x = await idOf(a, 'API_TOKEN');
    const list = await marksOf(a);
    expect(list.map((r) => [r.id, r.deleted])).toEqual([[`${x}.override.conflict`, false]]);
    const dump = JSON.stringify(list);
    for (const word of ['API_TOKEN', 'zebra', 'ovr-', 'Personal', 'Production']) expect(dump, word).not.toContain(word);

    // Its seal opens with the vault key, bound to the override, and not with the safe's key, which a
    // teammate the safe is shared with would hold.
    const [row] = list;
    const ciphertext = row!.ciphertext;
    const keys = await unlocked(ctxOf(b));
    const envId = ciphertext.env as string;
    const ad = boundAd('conflict', row!.safe_id, envId, `${x}.override`, 'mark', Number(ciphertext.ver));
    const seal = cipherFromWire(ciphertext.mark);
    await expect(openJson(keys.vaultKey, seal, ad)).resolves.toMatchObject({ against: expect.any(Number) });
    const safeKey = await keys.safeKey((await ctxOf(b).db.get('safes', row!.safe_id))!);
    await expect(openJson(safeKey, seal, ad)).rejects.toThrow();
  });

  it.each([
    ['the device that synced first', 'a', 'theirs', 'ovr-b-zebra'],
    ['the device that synced first', 'a', 'mine', 'ovr-a-zebra'],
    ['the finder', 'b', 'mine', 'ovr-b-zebra'],
    ['the finder', 'b', 'theirs', 'ovr-a-zebra'],
    ['a third device', 'c', 'theirs', 'ovr-b-zebra'],
  ] as const)('settled on %s (%s, Keep %s): every device ends with the choice and no conflict', async (_who, where, choice, value) => {
    const devices = await conflictOnB();
    // Every device shows it before the choice: the choice has views to end, not only the finder's.
    for (const d of [devices.a, devices.c, devices.b]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 1 });
    const settler = devices[where];
    const [view] = await settler.engine.local.listConflicts();
    expect(view).toMatchObject({ kind: 'override' });
    await settler.engine.local.resolveConflict(view!.id, choice);
    expect(await settler.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0 });
    const { a, b, c } = devices;
    for (const d of [a, b, c, a]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    for (const d of [a, b, c]) {
      expect(await d.engine.local.listConflicts()).toEqual([]);
      expect((await d.engine.status()).held).toBeUndefined();
      expect(await contents(d.vault)).toContain(line(value));
    }
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
    expect(await contents(c.vault)).toEqual(await contents(a.vault));
  });

  it('the same choice made on two devices at once (Keep theirs on the first, Keep mine on the finder) meets as one: no new conflict', async () => {
    const { a, b, c } = await conflictOnB();
    await a.engine.syncNow();
    const [onA] = await a.engine.local.listConflicts();
    const [onB] = await b.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'theirs');
    await b.engine.local.resolveConflict(onB!.id, 'mine');
    await a.engine.syncNow();
    await b.engine.syncNow();
    for (const d of [a, c, b, a]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    for (const d of [a, b, c]) expect(await contents(d.vault)).toContain(line('ovr-b-zebra'));
  });

  it('a hostile server: an old mark replayed is not shown; a mark moved to another override or to the secret, an override passed off as a mark, an invented one are refused', async () => {
    const { a, b } = await conflictOnB();
    const x = await idOf(a, 'API_TOKEN');
    const other = await idOf(a, 'OTHER');
    let mark: Record<string, any> | undefined;
    let override: Record<string, any> | undefined;
    a.fault = rewritePulls((items) => {
      mark ??= items.find((i) => i.kind === 'conflict');
    });
    await a.engine.syncNow();
    expect(mark?.id).toBe(`${x}.override.conflict`);
    const [onA] = await a.engine.local.listConflicts();
    await a.engine.local.resolveConflict(onA!.id, 'mine');
    a.fault = undefined;
    await a.engine.syncNow();
    b.fault = rewritePulls((items) => {
      override ??= items.find((i) => i.id === `${x}.override`);
    });
    await b.engine.syncNow();
    expect(override).toBeDefined();
    expect(await a.engine.status()).toMatchObject({ conflicts: 0 });
    const settled = await contents(a.vault);
    expect(settled).toContain(line('ovr-a-zebra'));

    // Replayed at a new revision: the choice is a version above the mark's, so nothing is shown.
    let revision = 10_000;
    const replay = (item: Record<string, any>) => {
      a.fault = rewritePulls((items) => items.push({ ...item, revision: ++revision }));
      return a.engine.syncNow();
    };
    expect(await replay(mark!)).toMatchObject({ conflicts: 0, damaged: 0 });

    // Moved to another secret's override, to the secret itself, or the override's own copy as a mark
    // (no mark seal, or another version's): refused, never shown.
    expect(await replay({ ...mark!, id: `${other}.override.conflict` })).toMatchObject({ conflicts: 0, damaged: 1 });
    expect(await replay({ ...mark!, id: `${x}.conflict` })).toMatchObject({ conflicts: 0, damaged: 1 });
    expect(await replay({ ...override!, id: `${x}.override.conflict`, kind: 'conflict' })).toMatchObject({ conflicts: 0, damaged: 1 });
    const bumped = { ...mark!.ciphertext, ver: String(Number(mark!.ciphertext.ver) + 5) };
    expect(await replay({ ...mark!, ciphertext: bumped })).toMatchObject({ conflicts: 0, damaged: 1 });
    // Invented: the override's fields with a seal no device made.
    const invented = { ...mark!.ciphertext, ver: String(Number(mark!.ciphertext.ver) + 5), mark: override!.ciphertext.value };
    expect(await replay({ ...mark!, ciphertext: invented })).toMatchObject({ conflicts: 0, damaged: 1 });
    a.fault = undefined;
    expect(await a.engine.local.listConflicts()).toEqual([]);
    expect(await contents(a.vault)).toEqual(settled);
  });

  it('the secret deleted on a third device while its override waits for a choice: no device shows it, and the mark is deleted', async () => {
    const { a, b, c } = await conflictOnB();
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 1 });
    await c.engine.syncNow();
    await c.vault.delete({ ...PROD, keyToDelete: 'API_TOKEN' });
    await c.engine.syncNow();
    for (const d of [a, b, c, a]) expect(await d.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
    for (const d of [a, b, c]) expect(await d.engine.local.listConflicts()).toEqual([]);
    expect((await marksOf(a)).map((r) => r.deleted)).toEqual([true]);
  });

  it('the secret deleted on the device that found the conflict: its own mark coming back shows nothing there, and no device is left with a choice it cannot see', async () => {
    const { a, b, c } = await conflictOnB();
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 1 });
    // B deletes the secret before its own mark comes back to it. The override's deletion meets A's
    // copy, which comes back unseen (in case the secret does); the mark must not show a choice over it.
    await b.vault.delete({ ...PROD, keyToDelete: 'API_TOKEN' });
    for (const d of [b, a, c, b, a, c]) await d.engine.syncNow();
    for (const d of [a, b, c]) {
      expect(await d.engine.status()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
      expect(await d.engine.local.listConflicts()).toEqual([]);
    }
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
  });

  it("the override deleted on a device that shows the conflict while its secret's edit there outlives the secret's deletion: the view ends with the override", async () => {
    const { a, b, c } = await conflictOnB();
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 1 });
    // A edits the secret's shared value; C deletes the secret (and with it the override) before A sends it.
    await a.vault.update({ ...PROD, key: 'API_TOKEN', value: 'shared-edit-a' });
    await c.engine.syncNow();
    await c.vault.delete({ ...PROD, keyToDelete: 'API_TOKEN' });
    await c.engine.syncNow();
    // B, which found the conflict, takes the secret's deletion and ends its mark. A's edit beats the
    // deletion, so A keeps the secret, and takes the override's deletion and then the mark's.
    await b.engine.syncNow();
    for (const d of [a, b, c, a, b, c]) await d.engine.syncNow();
    for (const d of [a, b, c]) {
      expect(await d.engine.status()).toMatchObject({ conflicts: 0, waiting: 0, damaged: 0 });
      expect(await d.engine.local.listConflicts()).toEqual([]);
      expect(await contents(d.vault)).toContain('Personal/Production!/API_TOKEN=shared-edit-a');
    }
  });

  it('one name created on two devices: the device that synced first and a third one find the clash themselves, no mark needed', async () => {
    const a = await device();
    await newVault(a);
    await a.vault.create({ ...PROD, keyValuePairs: { SEED: 'seed' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await signIn(account);
    const c = await signIn(account);
    await a.vault.create({ ...PROD, keyValuePairs: { NEW_KEY: 'from-a' } });
    await b.vault.create({ ...PROD, keyValuePairs: { NEW_KEY: 'from-b' } });
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0 });
    expect(await b.engine.syncNow()).toMatchObject({ conflicts: 1 });
    for (const d of [a, c]) {
      expect(await d.engine.syncNow()).toMatchObject({ conflicts: 1, damaged: 0 });
      expect((await d.engine.local.listConflicts())[0]).toMatchObject({ kind: 'name', mine: { key: 'NEW_KEY' } });
    }
    expect(await marksOf(a)).toEqual([]);
  });
});
