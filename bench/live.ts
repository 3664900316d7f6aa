/**
 * Live-update benchmark: `npx tsx bench/live.ts [--connections=1000]`. Starts the real server as its
 * own process (server/main.ts: PostgreSQL when DATABASE_URL is set, otherwise PGlite in a temporary
 * directory), opens that many authenticated WebSockets to it on 127.0.0.1, and reports the server's
 * resident memory before and after (VmRSS from /proc), then how long one push takes to poke them all.
 * On PGlite the data directory is created by a first start, and the figures come from a second one:
 * a server is restarted far more often than its data directory is made (`--fresh` measures the first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const CONNECTIONS = Number(args.get('connections') ?? 1000);
const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-bench-live-'));

const start = () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KEYSMITH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
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
  const before = rssMiB();

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
  const held = rssMiB();

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
  console.log(`Server process on ${where}, ${CONNECTIONS.toLocaleString('en')} authenticated WebSockets on 127.0.0.1.\n`);
  console.log('| What | Figure | Budget |');
  console.log('| --- | --- | --- |');
  console.log(`| Server RSS before | ${before.toFixed(0)} MiB | |`);
  console.log(`| Server RSS holding ${CONNECTIONS.toLocaleString('en')} | ${held.toFixed(0)} MiB | ≤ 200 MB |`);
  console.log(`| Per connection | ${(((held - before) * 1024) / CONNECTIONS).toFixed(1)} KiB | |`);
  console.log(`| Opening all (batches of 100) | ${openMs.toFixed(0)} ms | |`);
  console.log(`| One push → all ${CONNECTIONS.toLocaleString('en')} poked | ${fanOut.toFixed(0)} ms | |`);
} finally {
  for (const ws of sockets) ws.terminate();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
