/**
 * Sync benchmark: `npx tsx bench/sync.ts` after `npx wxt build`. A real server (in this process, on
 * PGlite) and two kinds of device: one in Node (fake-indexeddb, the same lib/ code the worker runs)
 * that creates the account, and fresh Chromium profiles with the built extension.
 *
 * - New device: `sync.signIn` from the popup page (Argon2id, login, the wrapped vault key, every
 *   page of items decrypted and indexed) until a search over the vault answers with all 10,000.
 * - One edit (a rename) made on the Node device until the open popup in Chromium lists it: the
 *   server's poke over the popup device's live connection, then its pull, as a user would see it.
 * - An idle open popup: HTTP requests reaching the server while it stays open, untouched (the live
 *   connection's pings, one message every 20 s, are not requests).
 * - Bytes on the wire for one edit: the push, and another device's pull (request and answer bodies;
 *   HTTP headers add about 0.3 KB each way); the editing device's own pull after its push is shown apart.
 * - A safe's manifest as a share of a new device's first pull of the 10,000 (answer bodies).
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'node:http';
import { IDBFactory } from 'fake-indexeddb';
import type { Page } from 'playwright-core';
import { configWith } from '../server/config';
import { openDatabase } from '../server/db/open';
import { createServer } from '../server/server';
import { SyncEngine } from '../lib/sync/engine';
import { openVault } from '../lib/vault';
import { memorySessionStore } from '../lib/vault/session-secret';
import { extensionIdOf, launchWithExtension } from '../tests/e2e/fixtures';
import { signInAndSearch } from './sign-in-page';

const SECRETS = 10_000;
/** New devices signed in (fresh profiles); SYNC_SIGN_INS=7 for a steadier median on a noisy machine. */
const SIGN_INS = Number(process.env.SYNC_SIGN_INS ?? 3);
const EDITS = Number(process.env.SYNC_EDITS ?? 20);
/** How long the popup stays open and idle while its requests are counted. */
const IDLE_S = Number(process.env.SYNC_IDLE_S ?? 75);
const MASTER = 'bench master password 42';
const EMAIL = 'bench@example.test';

const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const ms = (v: number) => `${v.toFixed(0)} ms`;

// Every HTTP request any server in this process receives (the bench's own server is the only one).
let requests = 0;
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
  if (event === 'request') requests++;
  return (emit as (this: Server, event: string, ...args: unknown[]) => boolean).call(this, event, ...args);
} as typeof emit;

const database = await openDatabase({ dataDir: null });
// The account holds 10,005 items and a manifest, past the default quota of 10,000 items per organization.
const server = await createServer({
  database,
  config: configWith({ rateLimit: { perAddress: 1e7, perToken: 1e7 }, quota: { items: 100_000 } }),
});
const { url } = await server.listen(0, '127.0.0.1');

async function nodeDevice() {
  const vault = await openVault({ indexedDB: new IDBFactory() });
  const bytes = { sent: 0, received: 0 };
  // Bodies by route (`POST /api/v1/items/batch`, `GET /api/v1/sync`), and the manifests' share of pull answers.
  const byRoute = new Map<string, number>();
  const manifests = { bytes: 0 };
  const engine = new SyncEngine({
    vault,
    credentials: memorySessionStore(),
    onBytes: (sent, received) => {
      bytes.sent += sent;
      bytes.received += received;
    },
    fetch: async (input, init = {}) => {
      const answer = await fetch(input, init);
      const route = `${init.method ?? 'GET'} ${new URL(String(input)).pathname}`;
      const text = await answer.clone().text();
      byRoute.set(route, (byRoute.get(route) ?? 0) + String(init.body ?? '').length + text.length);
      if (route === 'GET /api/v1/sync' && answer.ok) {
        for (const item of (JSON.parse(text) as { items: { kind: string }[] }).items)
          if (item.kind === 'manifest') manifests.bytes += JSON.stringify(item).length;
      }
      return answer;
    },
  });
  return { vault, engine, bytes, byRoute, manifests };
}

// The account: one secret to edit in Development (the popup's first view), 10,000 in Staging.
const a = await nodeDevice();
await a.vault.setup(MASTER);
await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { EDIT_ME: 'v' } });
const lines = Array.from(
  { length: SECRETS },
  (_, i) => `SERVICE_${String(i).padStart(5, '0')}_API_KEY=sk_live_${i.toString(36).padStart(24, 'x')}`,
);
await a.vault.importDotenv({ safeName: 'Personal', envName: 'Staging', text: lines.join('\n') });
let started = performance.now();
await a.engine.createAccount({ serverUrl: url, email: EMAIL, masterPassword: MASTER });
const upload = performance.now() - started;

const signIns: number[] = [];
const propagation: number[] = [];
let idleRequests = 0;
const dirs: string[] = [];
try {
  let popup: Page | undefined;
  for (let run = 0; run < SIGN_INS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-sync-'));
    dirs.push(dir);
    const context = await launchWithExtension(dir);
    const extensionId = await extensionIdOf(context);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const { t0, t1 } = await signInAndSearch(page, url, EMAIL, MASTER, SECRETS);
    const elapsed = t1 - t0;
    signIns.push(elapsed);
    if (run < SIGN_INS - 1) {
      await context.close();
    } else {
      // The last profile stays open on its popup: the edits below must show up there.
      await page.reload();
      await page.getByRole('option', { name: 'EDIT_ME' }).waitFor();
      popup = page;
    }
  }

  for (let i = 1; i <= EDITS; i++) {
    const key = `EDIT_ME_${i}`;
    const t0 = performance.now();
    await a.vault.update({ safeName: 'Personal', envName: 'Development', key: i === 1 ? 'EDIT_ME' : `EDIT_ME_${i - 1}`, newKey: key });
    await a.engine.syncNow();
    await popup!.getByRole('option', { name: key }).waitFor({ timeout: 10_000 });
    propagation.push(performance.now() - t0);
  }
  // The popup stays open, nobody touches anything.
  await new Promise((r) => setTimeout(r, 2000));
  requests = 0;
  await new Promise((r) => setTimeout(r, IDLE_S * 1000));
  idleRequests = requests;
  await popup!.context().close();
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

// A new device's first pull in Node: how much of it the manifest is.
const c = await nodeDevice();
await c.engine.signIn({ serverUrl: url, email: EMAIL, masterPassword: MASTER });
const firstPull = c.byRoute.get('GET /api/v1/sync') ?? 0;
const manifestBytes = c.manifests.bytes;
await c.engine.syncNow();
// Bytes of one edit: A's push, then another device's pull of it.
a.bytes.sent = a.bytes.received = c.bytes.sent = c.bytes.received = 0;
a.byRoute.clear();
await a.vault.update({ safeName: 'Personal', envName: 'Development', key: `EDIT_ME_${EDITS}`, value: 'one more edit' });
await a.engine.syncNow();
const push = a.byRoute.get('POST /api/v1/items/batch') ?? 0;
const pullBack = a.bytes.sent + a.bytes.received - push;
await c.engine.syncNow();
const pull = c.bytes.sent + c.bytes.received;
// The same for a secret's first edit (one of the 10,000, never edited).
a.bytes.sent = a.bytes.received = c.bytes.sent = c.bytes.received = 0;
a.byRoute.clear();
await a.vault.update({ safeName: 'Personal', envName: 'Staging', key: 'SERVICE_00042_API_KEY', value: 'sk_live_rotated_once' });
await a.engine.syncNow();
const firstPush = a.byRoute.get('POST /api/v1/items/batch') ?? 0;
await c.engine.syncNow();
const firstEditPull = c.bytes.sent + c.bytes.received;
// An idle poll: nothing new.
c.bytes.sent = c.bytes.received = 0;
started = performance.now();
await c.engine.syncNow();
const idleMs = performance.now() - started;
const idle = c.bytes.sent + c.bytes.received;

await server.close();
await database.close();

console.log(`Account with ${SECRETS.toLocaleString('en')} secrets uploaded from Node in ${ms(upload)}.\n`);
console.log('| What | Median | Min | Max | Budget |');
console.log('| --- | --- | --- | --- | --- |');
console.log(
  `| New device (Chromium): sign-in → search answers over ${SECRETS.toLocaleString('en')} (${SIGN_INS} profiles) | ${ms(pct(signIns, 50))} | ${ms(Math.min(...signIns))} | ${ms(Math.max(...signIns))} | ≤ 2 s median |`,
);
console.log(
  `| One edit → listed in the other device's open popup (${EDITS} edits; p95 ${ms(pct(propagation, 95))}) | ${ms(pct(propagation, 50))} | ${ms(Math.min(...propagation))} | ${ms(Math.max(...propagation))} | ≤ 1 s p95 |`,
);
console.log(`\n| An idle open popup (${IDLE_S} s) | Figure | Budget |`);
console.log('| --- | --- | --- |');
console.log(
  `| HTTP requests to the server | ${idleRequests} (one per ${idleRequests ? `${(IDLE_S / idleRequests).toFixed(0)} s` : `> ${IDLE_S} s`}) | ≤ 1 per 25 s |`,
);
console.log(`\n| One edit on the wire (bodies) | Bytes | Budget |`);
console.log('| --- | --- | --- |');
console.log(
  `| A secret's first edit: push + another device's pull | ${firstPush} + ${firstEditPull} = ${firstPush + firstEditPull} B | ≤ 2 KB |`,
);
console.log(`| After ${EDITS} edits of one secret (its history stays on the devices): push (request + answer) | ${push} B | |`);
console.log(`| … another device's pull | ${pull} B | |`);
console.log(`| … push + pull | ${push + pull} B | ≤ 2 KB |`);
console.log(`| (the editing device's own pull after its push: ${pullBack} B) | | |`);
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
console.log(`\n| A new device's first pull of ${SECRETS.toLocaleString('en')} (Node; answer bodies) | Bytes | Budget |`);
console.log('| --- | --- | --- |');
console.log(`| Whole first pull | ${kib(firstPull)} | |`);
console.log(
  `| Of which the manifest | ${kib(manifestBytes)}: ${((100 * manifestBytes) / (firstPull - manifestBytes)).toFixed(1)}% on top of the items | ≤ 10% |`,
);
console.log(`| Idle poll (nothing new): one request, ${ms(idleMs)} | ${idle} B | |`);
