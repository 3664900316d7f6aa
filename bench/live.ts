/**
 * Live-update benchmark: `npx tsx bench/live.ts [--connections=1000] [--snapshots=dir] [--fresh]
 * [--entry=bundle.mjs]`. Starts the real server as its own process (server/main.ts: PostgreSQL when
 * DATABASE_URL is set, otherwise PGlite in a temporary directory), so the clients' sockets and the
 * bench's own objects are not in its figures; opens that many authenticated WebSockets to it on
 * 127.0.0.1, and reports the server's memory before and after, each read after a full garbage
 * collection inside the server (bench/live-probe.mjs), then how long one push takes to poke them
 * all. `--snapshots` also writes a V8 heap snapshot at each reading, to compare in Chrome DevTools
 * (Memory → Comparison). The server runs with the deployment's Node flags (scripts/server-flags.mjs);
 * more go in NODE_OPTIONS.
 * The server runs through tsx, as deployed; `--entry` runs instead a bundle of server/main.ts
 * (`esbuild server/main.ts --bundle --platform=node --format=esm --packages=external
 * --outfile=<dir>/main.mjs`, with server/db/migrations copied to `<dir>/migrations`), to see what
 * tsx itself costs.
 * On PGlite the data directory is created by a first start, and the figures come from a second one:
 * a server is restarted far more often than its data directory is made (`--fresh` measures the first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const CONNECTIONS = Number(args.get('connections') ?? 1000);
const SNAPSHOTS = args.get('snapshots');
/** The server to start: TypeScript through tsx as deployed, or `--entry=<file.mjs>`, a bundle of server/main.ts. */
const ENTRY = args.get('entry') ? [args.get('entry')!] : ['--import', 'tsx', 'server/main.ts'];

/** The server's memory in MiB, as bench/live-probe.mjs reads it. */
interface MemoryReading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Off the V8 heap and outside ArrayBuffers: WebAssembly code, libuv, glibc's arenas, Node's own. */
  mallocedMemory: number;
}
const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-bench-live-'));

const start = () => {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--expose-gc', '--import', './bench/live-probe.mjs', ...ENTRY], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KEYSMITH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const listening = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, listening };
};
const fresh = args.has('fresh') || Boolean(process.env.DATABASE_URL);
if (!fresh) {
  const first = start();
  await first.listening;
  first.child.kill('SIGTERM');
  await new Promise((r) => first.child.once('exit', r));
}
const { child: server, listening } = start();
const url = await listening;
const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
/** Asks the server process for its memory after a full collection (and a heap snapshot with `--snapshots`). */
async function measure(label: string): Promise<MemoryReading> {
  const answer = <T>(probe: string) =>
    new Promise<T>((resolve) => {
      const on = (message: { probe: string } & T) => {
        if (message.probe !== probe) return;
        server.off('message', on);
        resolve(message);
      };
      server.on('message', on);
    });
  if (SNAPSHOTS) {
    const written = answer<{ file: string }>('snapshot');
    server.send({ probe: 'snapshot', path: join(SNAPSHOTS, `live-${label}.heapsnapshot`) });
    console.error(`heap snapshot: ${(await written).file}`);
  }
  const read = answer<{ reading: MemoryReading }>('memory');
  server.send({ probe: 'memory' });
  return (await read).reading;
}

async function call(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, string>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sockets: WebSocket[] = [];
try {
  const email = `live-${Date.now()}@example.test`;
  const password = 'bench password for live updates';
  const { org_id: org } = await call('/api/v1/auth/register', { email, password });
  const { access_token: token } = await call('/api/v1/auth/login', { email, password });
  const auth = { authorization: `Bearer ${token}`, 'x-active-org-id': org! };
  const { id: safe } = await call('/api/v1/safes', { name: 'Bench' }, auth);
  await sleep(500);
  const before = await measure('0');

  let poked = 0;
  let allPoked: () => void = () => undefined;
  const opened = performance.now();
  // Opened in batches of 100, as devices arrive, not as one burst of 1,000 handshakes.
  for (let i = 0; i < CONNECTIONS; i += 100) {
    await Promise.all(
      Array.from(
        { length: Math.min(100, CONNECTIONS - i) },
        () =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`);
            ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token, org })));
            ws.on('message', (data) => {
              const message = JSON.parse(String(data)) as { type: string };
              if (message.type === 'ready') resolve();
              if (message.type === 'changed' && ++poked === CONNECTIONS) allPoked();
            });
            ws.on('error', reject);
            ws.on('close', (code) => reject(new Error(`closed ${code}`)));
            sockets.push(ws);
          }),
      ),
    );
  }
  const openMs = performance.now() - opened;
  await sleep(1000);
  const heldWithoutGc = rssMiB();
  const held = await measure(String(CONNECTIONS));

  const done = new Promise<void>((resolve) => (allPoked = resolve));
  const pushed = performance.now();
  await call(
    '/api/v1/items/batch',
    { items: [{ id: 'bench-1', safe_id: safe, kind: 'secret', baseRevision: 0, ciphertext: { v: 'x' } }] },
    auth,
  );
  await done;
  const fanOut = performance.now() - pushed;

  const where = process.env.DATABASE_URL
    ? 'PostgreSQL'
    : `PGlite (embedded: its own memory is in the figure), ${fresh ? 'first start of a new data directory' : 'restarted on its data directory'}`;
  console.log(
    `Server process (${ENTRY.join(' ')}) on ${where}, ${CONNECTIONS.toLocaleString('en')} authenticated WebSockets on 127.0.0.1.\n`,
  );
  const n = CONNECTIONS.toLocaleString('en');
  const mib = (value: number) => `${value.toFixed(1)} MiB`;
  const each = (key: keyof MemoryReading) => `${(((held[key] - before[key]) * 1024) / CONNECTIONS).toFixed(1)} KiB`;
  console.log('Server memory after a full garbage collection (process.memoryUsage(); rss is VmRSS):\n');
  console.log(`| | rss | heapUsed | external | arrayBuffers | malloced (V8) |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  const keys = ['rss', 'heapUsed', 'external', 'arrayBuffers', 'mallocedMemory'] as const;
  console.log(`| no sockets | ${keys.map((k) => mib(before[k])).join(' | ')} |`);
  console.log(`| holding ${n} | ${keys.map((k) => mib(held[k])).join(' | ')} |`);
  console.log(`| per socket | ${keys.map(each).join(' | ')} |`);
  console.log('\n| What | Figure | Budget |');
  console.log('| --- | --- | --- |');
  console.log(
    `| Server RSS holding ${n} (after GC; before it: ${heldWithoutGc.toFixed(0)} MiB) | ${held.rss.toFixed(0)} MiB | ≤ 200 MB (190.7 MiB) |`,
  );
  console.log(`| Opening all (batches of 100) | ${openMs.toFixed(0)} ms | |`);
  console.log(`| One push → all ${n} poked | ${fanOut.toFixed(0)} ms | |`);
} finally {
  for (const ws of sockets) ws.terminate();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
