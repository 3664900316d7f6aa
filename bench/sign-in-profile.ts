/**
 * Where a new device's sign-in spends its time: `npx wxt build && npx tsx bench/sign-in-profile.ts`.
 * The same account as bench/sync.ts (10,000 secrets, uploaded from Node to a server in this
 * process), then fresh Chromium profiles sign in from the popup page while the extension's service
 * worker is watched over the DevTools protocol: a CPU profile (what its thread computes) and its
 * requests (when each left and each answer arrived). Nothing is added to the extension for it.
 *
 * Prints, per sign-in, the requests on a time line from the sign-in's start and the worker's CPU
 * time by what it was doing; PROFILE_OUT=<dir> keeps each .cpuprofile (open it in DevTools).
 * PROFILE_SIGN_INS (default 2) sign-ins.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import WebSocket from 'ws';
import { configWith } from '../server/config';
import { openDatabase } from '../server/db/open';
import { createServer } from '../server/server';
import { SyncEngine } from '../lib/sync/engine';
import { openVault } from '../lib/vault';
import { memorySessionStore } from '../lib/vault/session-secret';
import { extensionIdOf, launchWithExtension } from '../tests/e2e/fixtures';
import { signInAndSearch } from './sign-in-page';

const SECRETS = 10_000;
const SIGN_INS = Number(process.env.PROFILE_SIGN_INS ?? 2);
const OUT = process.env.PROFILE_OUT;
const MASTER = 'bench master password 42';
const EMAIL = 'bench@example.test';

const database = await openDatabase({ dataDir: null });
const server = await createServer({
  database,
  config: configWith({ rateLimit: { perAddress: 1e7, perToken: 1e7 }, quota: { items: 100_000 } }),
});
const { url } = await server.listen(0, '127.0.0.1');

const vault = await openVault({ indexedDB: new IDBFactory() });
await vault.setup(MASTER);
await vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { EDIT_ME: 'v' } });
const lines = Array.from(
  { length: SECRETS },
  (_, i) => `SERVICE_${String(i).padStart(5, '0')}_API_KEY=sk_live_${i.toString(36).padStart(24, 'x')}`,
);
await vault.importDotenv({ safeName: 'Personal', envName: 'Staging', text: lines.join('\n') });
await new SyncEngine({ vault, credentials: memorySessionStore() }).createAccount({ serverUrl: url, email: EMAIL, masterPassword: MASTER });

/** One DevTools protocol connection (to the service worker's target), with its events kept. */
function cdp(wsUrl: string) {
  const socket = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  const events: { method: string; params: Record<string, unknown> }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
    else if (message.method) events.push({ method: message.method, params: message.params ?? {} });
  });
  const open = new Promise((resolve) => socket.once('open', resolve));
  return {
    events,
    async send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      await open;
      const n = ++id;
      return new Promise<T>((resolve) => {
        waiting.set(n, resolve as (r: unknown) => void);
        socket.send(JSON.stringify({ id: n, method, params }));
      });
    },
    close: () => socket.close(),
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * What a sample was doing, from its stack (innermost first): the first rule that matches any frame
 * names it, with a letter for the time line. Function names are the bundle's: a minified build keeps
 * only the browser's own (put, parse, WebAssembly); for lib/'s names build once with
 * `vite: () => ({ build: { minify: false } })` in wxt.config.ts (not kept).
 */
const CATEGORIES: [string, string, (f: ProfileNode['callFrame']) => boolean][] = [
  ['.', '(idle: waiting for the network, IndexedDB or WebCrypto)', (f) => f.functionName === '(idle)'],
  ['G', '(garbage collection)', (f) => f.functionName === '(garbage collector)'],
  ['A', 'Argon2id (WebAssembly)', (f) => f.url.startsWith('wasm:') || f.functionName.startsWith('wasm-function')],
  ['J', 'JSON.parse', (f) => f.functionName === 'parse' && f.url === ''],
  ['Z', 'zod (safeParse)', (f) => f.functionName === 'safeParse'],
  ['W', 'IndexedDB writes (put, index commit)', (f) => f.functionName === 'put' || f.functionName === 'commitIndex'],
  [
    'B',
    'base64 and record shapes (secretFromItem, cipherFromWire)',
    (f) => /^(secretFromItem|cipherFromWire|fromBase64|atob)$/.test(f.functionName),
  ],
  ['P', 'metas opened early (preopenMetas)', (f) => f.functionName === 'preopenMetas'],
  ['a', 'taking items in (applyRemote)', (f) => /^(applyRemote|applyContents|applySecret|readLocals)$/.test(f.functionName)],
  ['M', 'manifest check', (f) => f.functionName === 'checkManifests'],
  ['S', 'search', (f) => /search/i.test(f.functionName)],
  ['R', 'reading answers (fetch, body)', (f) => /^(request|readAll|readLimited|decode|fetch)$/.test(f.functionName)],
];

function categorise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number) => {
    const frames: ProfileNode['callFrame'][] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!.callFrame);
    return frames;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const timeline: { t: number; what: string }[] = [];
  let t = profile.startTime; // µs
  profile.samples.forEach((sample, n) => {
    const dt = (profile.timeDeltas[n + 1] ?? 0) / 1000; // ms: this sample lasts until the next
    t += profile.timeDeltas[n] ?? 0;
    const frames = stackOf(sample);
    const inner = frames[0]!;
    const rule = CATEGORIES.find(([, , test]) => frames.some(test));
    const what = rule ? rule[1] : `${inner.functionName || '(anonymous)'} ${inner.url.split('/').pop()}:${inner.lineNumber}`;
    self.set(what, (self.get(what) ?? 0) + dt);
    // Every named function on the stack once: where the time goes, callees included.
    for (const name of new Set(frames.map((f) => f.functionName).filter(Boolean))) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    timeline.push({ t, what: rule ? rule[0] : 's' });
  });
  return { self, inclusive, timeline };
}

const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);

const dirs: string[] = [];
try {
  for (let run = 0; run < SIGN_INS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-profile-'));
    dirs.push(dir);
    const context = await launchWithExtension(dir, 'en-US', ['--remote-debugging-port=0']);
    const extensionId = await extensionIdOf(context);
    const port = readFileSync(join(dir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      type: string;
      url: string;
      webSocketDebuggerUrl: string;
    }[];
    const worker = targets.find((t) => t.type === 'service_worker' && t.url.includes(extensionId));
    if (!worker) throw new Error('no service worker target');
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const session = cdp(worker.webSocketDebuggerUrl);
    await session.send('Network.enable');
    await session.send('Profiler.enable');
    await session.send('Runtime.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 250 });
    // Both clocks in the worker's terms: the page's sign-in start is taken from the worker too.
    await session.send('Profiler.start');
    const { t0, t1 } = await signInAndSearch(page, url, EMAIL, MASTER, SECRETS);
    const { profile } = await session.send<{ profile: Profile }>('Profiler.stop');
    const origin = (
      await session.send<{ result: { value: number } }>('Runtime.evaluate', { expression: 'performance.timeOrigin', returnByValue: true })
    ).result.value;
    session.close();
    if (OUT) writeFileSync(join(OUT, `sign-in-${run + 1}.cpuprofile`), JSON.stringify(profile));

    // Requests: wall-clock seconds (wallTime) for the first event, monotonic timestamps after.
    const requests = new Map<string, { path: string; sent: number; headers?: number; done?: number; bytes?: number }>();
    let wallOffset: number | undefined; // wall ms − monotonic s × 1000
    for (const { method, params } of session.events) {
      const id = params.requestId as string;
      const at = (params.timestamp as number) * 1000;
      if (method === 'Network.requestWillBeSent') {
        wallOffset ??= (params.wallTime as number) * 1000 - at;
        const u = new URL((params.request as { url: string }).url);
        requests.set(id, { path: `${(params.request as { method: string }).method} ${u.pathname}${u.search}`, sent: at });
      } else if (method === 'Network.responseReceived') requests.get(id)!.headers = at;
      else if (method === 'Network.loadingFinished') {
        const r = requests.get(id);
        if (r) {
          r.done = at;
          r.bytes = params.encodedDataLength as number;
        }
      }
    }
    const start = t0 - (wallOffset ?? 0); // the sign-in's start on the monotonic clock, ms
    const rel = (v?: number) => (v === undefined ? '   -  ' : `${(v - start).toFixed(0).padStart(6)}`);
    console.log(`\n## Sign-in ${run + 1}: ${(t1 - t0).toFixed(0)} ms to a search over ${SECRETS.toLocaleString('en')}`);
    console.log("\nrequests (ms from the sign-in's start): sent, headers, body done, bytes");
    for (const r of requests.values())
      console.log(`${rel(r.sent)} ${rel(r.headers)} ${rel(r.done)}  ${String(r.bytes ?? '').padStart(8)}  ${r.path}`);

    // Marks a build may carry while a change is studied: console.debug('ksmark', what, performance.now()).
    for (const { method, params } of session.events) {
      if (method !== 'Runtime.consoleAPICalled') continue;
      const args = (params.args as { value?: unknown }[]).map((a) => a.value);
      if (args[0] === 'ksmark') console.log(`mark ${(origin + (args[2] as number) - t0).toFixed(0).padStart(6)}  ${args[1]}`);
    }
    const { self, inclusive, timeline } = categorise(profile);
    // Profile times are monotonic µs; the same clock as the requests' timestamps.
    const within = timeline.filter((s) => s.t / 1000 >= start && s.t / 1000 <= start + (t1 - t0));
    console.log(
      `\nworker thread, one letter per 50 ms from the sign-in's start (${CATEGORIES.map(([l, w]) => `${l} ${w}`).join(', ')}, s other script):`,
    );
    const slots = Math.ceil((t1 - t0) / 50);
    let line = '';
    for (let n = 0; n < slots; n++) {
      const inSlot = within.filter((s) => s.t / 1000 - start >= n * 50 && s.t / 1000 - start < (n + 1) * 50);
      const counts = new Map<string, number>();
      for (const s of inSlot) counts.set(s.what, (counts.get(s.what) ?? 0) + 1);
      line += top(counts, 1)[0]?.[0] ?? '.';
      if (n % 20 === 19) line += ` ${(n + 1) * 50} ms\n`;
    }
    console.log(line);
    console.log('\nself time by what (ms, whole profile):');
    for (const [what, v] of top(self, 25)) console.log(`${v.toFixed(0).padStart(7)}  ${what}`);
    console.log('\ninclusive time by function (ms, whole profile):');
    for (const [what, v] of top(inclusive, 40)) console.log(`${v.toFixed(0).padStart(7)}  ${what}`);
    await context.close();
  }
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await server.close();
  await database.close();
}
