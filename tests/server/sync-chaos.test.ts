// Chaos: a bounded, seeded run of 1,000 random operations across three devices while the server
// restarts, requests fail (500, 429 with Retry-After, dropped connections before and after the
// server acted, timeouts) and devices stop mid-sync. At the end every device holds the same vault,
// no edit of a shared value is lost (each is present, or was replaced by a device that had seen it),
// and the server's database holds no key name, value, tag or path. CHAOS_SEED=n replays another run;
// CHAOS_DEBUG=1 prints, for each lost edit and each secret whose copies differ, every push, pull and local operation of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open';
import { createServer, type KeysmithServer } from '../../server/server';
import type { Database } from '../../server/db/types';
import { testConfig } from './helpers/harness';
import { contents, device, email, jsonResponse, MASTER, newVault, type Device, type Fault } from './sync-helpers';
import { freePort } from '../free-port';

const OPERATIONS = 1_000;
const SEED = Number(process.env.CHAOS_SEED ?? 20261130);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with CHAOS_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-chaos-'));
let database: Database | undefined;
let server: KeysmithServer | undefined;
afterAll(async () => {
  await server?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number): Promise<void> {
  database = await openDatabase({ dataDir });
  server = await createServer({ database, config: testConfig() });
  await server.listen(port, '127.0.0.1');
}

async function stop(): Promise<void> {
  await server!.close();
  await database!.close();
}

it(`converges with nothing lost after ${OPERATIONS} random operations (seed ${SEED})`, async () => {
  const random = prng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const port = await freePort();
  await start(port);
  const serverUrl = `http://127.0.0.1:${port}`;

  // Faults a device's requests meet while `chaos` is on.
  let chaos = true;
  // With CHAOS_DEBUG: each device's pushes and pulls, item by item, to explain a failure.
  const trace: string[] = [];
  const traced = (who: string, pass: () => Promise<Response>, url: URL, init: RequestInit) => async () => {
    const response = await pass();
    if (!process.env.CHAOS_DEBUG) return response;
    const copy = response.clone();
    const body = await copy.json().catch(() => undefined);
    if (url.pathname === '/api/v1/sync' && body?.items)
      for (const i of body.items)
        trace.push(`${who} pull ${i.id} rev${i.revision} ver${i.ciphertext?.ver} ${i.deleted ? 'deleted' : ''} op${opNow}`);
    if (url.pathname === '/api/v1/items/batch') {
      const sent = JSON.parse(String(init.body)).items as any[];
      for (const r of body?.results ?? []) {
        const w = sent.find((x) => x.id === r.id);
        trace.push(
          `${who} push ${r.id} base${w.baseRevision} ver${w.ciphertext?.ver}${w.deleted ? ' deleted' : ''} → ${r.ok ? `ok rev${r.revision}` : `conflict rev${r.conflict?.revision} ver${r.conflict?.ciphertext?.ver}`} op${opNow}`,
        );
      }
    }
    return response;
  };
  let opNow = 0;
  const faulty: Fault = async (url, init, rawPass) => {
    const who = (init as { who?: string }).who ?? '?';
    const pass = traced(who, rawPass, url, init);
    if (!chaos) return pass();
    const roll = random();
    if (roll < 0.04) return jsonResponse(500, { error: { code: 'internal', message: 'Internal error' } });
    if (roll < 0.07) return jsonResponse(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '0' });
    if (roll < 0.1) throw new TypeError('connection refused'); // before the server saw it
    if (roll < 0.13) {
      await pass();
      throw new TypeError('socket hang up'); // after the server acted: the answer is lost
    }
    if (roll < 0.15) throw new DOMException('The operation timed out.', 'TimeoutError');
    return pass();
  };

  const a = await device();
  await newVault(a);
  const account = email();
  await a.engine.createAccount({ serverUrl, email: account, masterPassword: MASTER });
  const b = await device();
  await b.engine.signIn({ serverUrl, email: account, masterPassword: MASTER });
  const c = await device();
  await c.engine.signIn({ serverUrl, email: account, masterPassword: MASTER });
  const devices = [a, b, c];
  for (const d of devices) d.fault = faulty;
  // What each device refused while applying pulls: nothing here is hostile, so any refusal is a
  // device holding back a genuine version (the engine's status only shows the last pull's).
  const refusals: string[] = [];
  const watch = (d: Device, n: number) => {
    const apply = d.engine.local.applyRemote;
    (d.engine.local as { applyRemote: typeof apply }).applyRemote = async (items) => {
      const result = await apply(items);
      for (const x of result.damaged) {
        refusals.push(`dev${n} ${x.id} ${x.reason} op${opNow}`);
        trace.push(`dev${n} REFUSED ${x.id} ${x.reason} op${opNow}`);
      }
      for (const x of result.conflicts) trace.push(`dev${n} CONFLICT ${x} op${opNow}`);
      return result;
    };
  };
  for (const [n, d] of devices.entries()) watch(d, n + 1);

  const ENVS = ['Development', 'Production'] as const;
  const KEYS = Array.from({ length: 24 }, (_, i) => `KEY_${i}`);
  // Paths and tags hold a '-', which base64 ciphertext and hex ids never do: the database check below
  // looks for them, and no random ciphertext holds one by chance (a four-letter one did, once a run in ten).
  const PATHS = ['/', '/api-v1', '/db-main'];
  let counter = 0;
  const writes: { value: string; device: number; id: string; op: number }[] = [];
  const replaced = new Set<string>();
  const counts: Record<string, number> = {};
  const ops: string[] = [];
  const tally = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

  const secretsOf = async (d: Device, envName: string) => d.vault.get({ safeName: 'Personal', envName });

  for (let op = 0; op < OPERATIONS; op++) {
    opNow = op;
    const i = Math.floor(random() * devices.length);
    const d = devices[i]!;
    const envName = pick(ENVS);
    const roll = random();
    const existing = await secretsOf(d, envName);
    const picked = existing.length > 0 ? pick(existing) : undefined;
    const where = { safeName: 'Personal', envName };
    try {
      if (roll < 0.22 || !picked) {
        const key = pick(KEYS);
        const path = pick(PATHS);
        if (existing.some((s) => s.key === key && s.path === path)) continue;
        const value = `v-${++counter}`;
        const [made] = await d.vault.create({ ...where, secretPath: path, keyValuePairs: [{ key, value, tags: [`tag-${counter % 5}`] }] });
        writes.push({ value, device: i, id: made!.id, op });
        ops.push(`op${op} dev${i + 1} create ${made!.id} ${path}/${key}=${value}`);
        tally('create');
      } else if (roll < 0.5) {
        const value = `v-${++counter}`;
        for (const held of await sharedValues(d, where, picked)) replaced.add(held); // this device held it, and replaces it knowingly
        await d.vault.update({ ...where, id: picked.id, value });
        writes.push({ value, device: i, id: picked.id, op });
        ops.push(`op${op} dev${i + 1} edit ${picked.id} → ${value}`);
        tally('edit');
      } else if (roll < 0.6) {
        const path = pick(PATHS);
        if (path === picked.path || existing.some((s) => s.key === picked.key && s.path === path)) continue;
        await d.vault.update({ ...where, id: picked.id, destinationPath: path });
        ops.push(`op${op} dev${i + 1} move ${picked.id} → ${path}`);
        tally('move');
      } else if (roll < 0.7) {
        if (picked.overridden || random() < 0.5) {
          await d.vault.update({ ...where, id: picked.id, value: `o-${++counter}`, override: true });
          ops.push(`op${op} dev${i + 1} override ${picked.id} o-${counter}`);
        } else {
          await d.vault.update({ ...where, id: picked.id, toggleOverride: true }).catch(() => undefined);
          ops.push(`op${op} dev${i + 1} toggle ${picked.id}`);
        }
        tally('override');
      } else if (roll < 0.78) {
        // Now and then, one of the secrets in Recently deleted is brought back or deleted forever instead.
        const listed = (await d.vault.recentlyDeleted()).filter((t) => 'key' in t);
        const chosen = listed.length > 0 && random() < 0.35 ? pick(listed) : undefined;
        if (chosen && random() < 0.5) {
          await d.vault.restoreDeleted(chosen.id);
          ops.push(`op${op} dev${i + 1} bring back ${chosen.id}`);
          tally('bring back');
        } else if (chosen) {
          await d.vault.deleteForever(chosen.id);
          ops.push(`op${op} dev${i + 1} delete forever ${chosen.id}`);
          tally('delete forever');
        } else {
          for (const held of await sharedValues(d, where, picked)) replaced.add(held);
          await d.vault.deleteById(picked.id);
          ops.push(`op${op} dev${i + 1} delete ${picked.id}`);
          tally('delete');
        }
      } else if (roll < 0.97) {
        await d.engine.syncNow();
        tally('sync');
      } else if (roll < 0.985) {
        // The worker is stopped in the middle of a sync, wherever it was; a new one starts over the same database.
        void d.engine.syncNow().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 20)));
        await d.restart();
        watch(d, i + 1);
        ops.push(`op${op} dev${i + 1} restart`);
        tally('device stopped');
      } else {
        await stop();
        await d.engine.syncNow(); // while the server is down
        await start(port);
        tally('server restarted');
      }
    } catch (error) {
      // A record another instance changed meanwhile: the operation is refused in words, nothing half-done.
      if (!(error instanceof Error && 'code' in error)) throw error;
      tally(`refused: ${(error as { code: string }).code}`);
    }
  }

  // Healing: no more faults; every device syncs until nothing waits; conflicts (an edit on two
  // devices, or one name created on two) are settled keeping both, one at a time, as a user would
  // (a personal override changed on two: this device's).
  // A choice is itself an edit that can meet another device's choice, so rounds go on until one
  // where nothing was left to choose or send anywhere (at most 30: a livelock still fails).
  chaos = false;
  const remoteChanges = new Map<Device, number | undefined>();
  let rounds = 0;
  for (let quiet = false; rounds < 30 && !quiet; rounds++) {
    quiet = true;
    for (const d of devices) {
      for (let settled = 0; settled < 100; settled++) {
        const [conflict] = await d.engine.local.listConflicts();
        if (!conflict) break;
        quiet = false;
        await d.engine.local.resolveConflict(conflict.id, conflict.kind === 'override' ? 'mine' : 'both');
      }
      const status = await d.engine.syncNow();
      if (status.waiting > 0 || status.conflicts > 0 || status.remoteChangeAt !== remoteChanges.get(d)) quiet = false;
      remoteChanges.set(d, status.remoteChangeAt);
    }
  }
  if (process.env.CHAOS_DEBUG) for (const d of devices) await explainLeftovers(d, trace, ops);
  for (const d of devices) expect(await d.engine.status()).toMatchObject({ waiting: 0, conflicts: 0, damaged: 0 });
  const final = await contents(a.vault);
  if (process.env.CHAOS_DEBUG) await explainDivergence(devices, trace, ops);
  expect(await contents(b.vault)).toEqual(final);
  expect(await contents(c.vault)).toEqual(final);
  // Recently deleted agrees with the vault: no device lists a secret it holds.
  for (const d of devices) {
    const live = new Set<string>();
    for (const envName of ENVS) for (const s of await secretsOf(d, envName)) live.add(s.id);
    expect((await d.vault.recentlyDeleted()).filter((t) => live.has(t.id))).toEqual([]);
  }
  // Every name is held once: keys created offline on two devices were settled like edits.
  const names = final.map((line) => line.slice(0, line.indexOf('=')));
  expect(names.filter((name, n) => names.indexOf(name) !== n)).toEqual([]);

  // Zero lost: every shared value written is still there (as the value or a _CONFLICT copy's), unless
  // some device replaced or deleted it while holding it.
  const present = new Set(
    final.map((line) =>
      line
        .slice(line.indexOf('=') + 1)
        .replace(/ #.*$/, '')
        .replace(/ \(mine\)$/, ''),
    ),
  );
  const shared = new Set<string>();
  for (const envName of ENVS) {
    for (const s of await secretsOf(a, envName)) for (const v of await sharedValues(a, { safeName: 'Personal', envName }, s)) shared.add(v);
  }
  const lost = writes.filter((w) => !replaced.has(w.value) && !shared.has(w.value) && !present.has(w.value));
  if (process.env.CHAOS_DEBUG) {
    for (const w of lost) {
      console.log('LOST', JSON.stringify(w), 'writes of that id:', JSON.stringify(writes.filter((x) => x.id === w.id)));
      console.log(trace.filter((t) => t.includes(w.id)).join('\n'));
      console.log('ops on it:', ops.filter((o) => o.includes(w.id)).join('\n'));
    }
  }
  expect(lost).toEqual([]);
  if (process.env.CHAOS_DEBUG) {
    for (const id of new Set(refusals.map((r) => r.split(' ')[1]!))) {
      console.log(
        `REFUSED ${id}\n${trace.filter((t) => t.includes(id.replace('.override', ''))).join('\n')}\nops: ${ops.filter((o) => o.includes(id.replace('.override', ''))).join('\n')}`,
      );
    }
  }
  expect(refusals).toEqual([]);
  expect(counts.create ?? 0).toBeGreaterThan(50);
  expect(counts['server restarted'] ?? 0).toBeGreaterThan(0);
  expect(counts['device stopped'] ?? 0).toBeGreaterThan(0);
  expect((counts['bring back'] ?? 0) + (counts['delete forever'] ?? 0)).toBeGreaterThan(0);

  // The server's database: ciphertext and ids only.
  const dump = JSON.stringify(await database!.db.execute(sql`SELECT * FROM items`));
  for (const word of ['KEY_', 'v-1', 'tag-1', '/api-v1', 'Personal', 'Development', 'Production', MASTER])
    expect(dump, word).not.toContain(word);
  console.log(`chaos seed ${SEED}: ${JSON.stringify(counts)}; ${final.length} secrets at the end, after ${rounds} rounds of healing`);
}, 300_000);

/**
 * The shared value of a secret (not a personal override): `get` has it unless an override is active;
 * then the .env export of its path (which holds shared values) does, for each secret of that key there.
 */
async function sharedValues(
  d: Device,
  where: { safeName: string; envName: string },
  secret: { key: string; path: string; value: string; overridden: boolean },
): Promise<string[]> {
  if (!secret.overridden) return [secret.value];
  const file = await d.vault.exportDotenv({ ...where, secretPath: secret.path });
  return file
    .split('\n')
    .filter((l) => l.startsWith(`${secret.key}=`))
    .map((l) => l.slice(secret.key.length + 1).replace(/^"|"$/g, ''));
}

/** With CHAOS_DEBUG: for each secret whose copies differ between devices, every copy and every trace line of it. */
async function explainDivergence(devices: Device[], trace: string[], ops: string[]): Promise<void> {
  const copies = new Map<string, string[]>();
  for (const [n, d] of devices.entries()) {
    for (const safe of await d.vault.listSafes()) {
      for (const env of safe.environments) {
        for (const s of await d.vault.get({ safeId: safe.id, envId: env.id })) {
          const line = `dev${n + 1} ${env.name}${s.path}/${s.key}=${s.value}`;
          copies.set(s.id, [...(copies.get(s.id) ?? []), line]);
        }
      }
    }
  }
  for (const [id, lines] of copies) {
    const values = new Set(lines.map((l) => l.slice(5)));
    if (lines.length === devices.length && values.size === 1) continue;
    console.log(`DIVERGED ${id}\n  ${lines.join('\n  ')}`);
    console.log(trace.filter((t) => t.includes(id)).join('\n'));
    console.log('ops on it:', ops.filter((o) => o.includes(id)).join('\n'));
  }
}

/** With CHAOS_DEBUG: conflicts and outbox entries a device still holds after healing, raw, with the trace of each. */
async function explainLeftovers(d: Device, trace: string[], ops: string[]): Promise<void> {
  const db: IDBDatabase = await new Promise((resolve) => {
    const request = d.factory.open('device');
    request.onsuccess = () => resolve(request.result);
  });
  const all = (store: string): Promise<Record<string, any>[]> =>
    new Promise((resolve) => {
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
    });
  const [conflicts, outbox] = await Promise.all([all('conflicts'), all('outbox')]);
  db.close();
  for (const c of [...conflicts, ...outbox]) {
    const id = String(c.secretId ?? c.id).replace(/\.(override|name)$/, '');
    console.log(`LEFT ${JSON.stringify({ ...c, theirs: c.theirs && { revision: c.theirs.revision, deleted: c.theirs.deleted } })}`);
    console.log(trace.filter((t) => t.includes(id)).join('\n'));
    console.log('ops:', ops.filter((o) => o.includes(id)).join('\n'));
  }
}
