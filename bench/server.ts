/**
 * Sync server benchmark: `npx tsx bench/server.ts [--duration=10] [--connections=100] [--rounds=3] [--pglite=false] [--nginx=false]`.
 * Prints a markdown table.
 *
 * On PostgreSQL it also measures, in the same run and on the same data: the ceiling (the SQL one
 * idle delta poll runs, captured from the server, sent straight through postgres-js; the server's
 * figure is reported as a share of it), and the deployment of docs/deploy/ — nginx with TLS in
 * front of one server process, then of two (request logs on, as in production).
 *
 * Runs on embedded PGlite (in a temporary data directory) and, when DATABASE_URL is set or
 * `--postgres[=url]` is given, also on PostgreSQL (a throw-away database created beside the one
 * the URL names, or the URL's own database if the role may not create one). All traffic is
 * 127.0.0.1. The load test runs autocannon as a separate process so it does not share the
 * server's event loop; the bare Hono route runs in this process like the real server.
 *
 * Measured: first pull of 10,000 items (time, bytes, requests), a one-item delta (time, bytes),
 * a push of 1,000 new items in one batch, a push of 1,000 edits in one batch, and 100 concurrent clients polling deltas — requests/s,
 * p99 latency and errors — beside a bare Hono route.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { configWith } from '../server/config';
import { openDatabase } from '../server/db/open';
import type { Database } from '../server/db/types';
import { createServer } from '../server/server';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'] as const;
  }),
);
const DURATION_S = Number(args.get('duration') ?? 10);
/** Server and ceiling take turns this many times; the share is the median round's (a busy machine drifts). */
const ROUNDS = Math.max(1, Number(args.get('rounds') ?? 3));
const CONNECTIONS = Number(args.get('connections') ?? 100);
const ITEMS = Number(args.get('items') ?? 10_000);
const PUSH_BATCH = 1_000;
const PULL_PAGE = 5_000;
const pgUrl = args.get('postgres') && args.get('postgres') !== 'true' ? args.get('postgres') : process.env.DATABASE_URL;
const withPostgres = Boolean(pgUrl) && args.get('postgres') !== 'false';
const withPglite = args.get('pglite') !== 'false';
if (args.has('postgres') && !pgUrl) throw new Error('--postgres needs a URL (--postgres=postgres://…) or DATABASE_URL');

const root = fileURLToPath(new URL('..', import.meta.url));
const autocannonBin = join(root, 'node_modules', '.bin', 'autocannon');

/** Limits high enough that the load test measures the server, not the rate limiter. */
const config = configWith({
  rateLimit: { perAddress: 100_000_000, perToken: 100_000_000, windowSeconds: 60 },
  syncMaxLimit: PULL_PAGE,
});

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors and timeouts (autocannon's `errors` already counts its `timeouts`) + non-2xx answers. */
  errors: number;
  breakdown: string;
  total: number;
}

interface Result {
  backend: string;
  firstPullMs: number;
  firstPullBytes: number;
  firstPullRequests: number;
  deltaMs: number;
  deltaBytes: number;
  pushMs: number;
  editMs: number;
  load: Load;
  /** The delta route's own statements straight through the driver (PostgreSQL only). */
  ceiling?: Load;
  /** Server's share of the ceiling in each round, in the order run (PostgreSQL only). */
  shares?: number[];
}

/** Opaque ciphertext the size the extension sends for a typical secret (key, value, metadata). */
function fakeCiphertext() {
  return {
    key: randomBytes(48).toString('base64'),
    value: randomBytes(96).toString('base64'),
    meta: randomBytes(64).toString('base64'),
  };
}

async function call(url: string, init: RequestInit & { token?: string; org?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.org) headers['x-active-org-id'] = init.org;
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  return { body: JSON.parse(text || 'null'), bytes: Buffer.byteLength(text) };
}

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

function autocannon(url: string, headers: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Promise<Load> {
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const cliArgs = ['-c', String(CONNECTIONS), '-d', String(DURATION_S), '-j', ...headerArgs, url];
  return new Promise((resolve, reject) => {
    // Bounded in time by -d, and by a hard kill if autocannon overruns it.
    execFile(autocannonBin, cliArgs, { env, timeout: (DURATION_S + 30) * 1000, maxBuffer: 16 << 20 }, (error, stdout) => {
      if (error) return reject(error);
      const r = JSON.parse(stdout);
      resolve({
        requestsPerSecond: r.requests.average,
        p99Ms: r.latency.p99,
        maxMs: r.latency.max,
        errors: r.errors + r.non2xx,
        breakdown: `${r.timeouts} timeouts, ${r.errors - r.timeouts} other errors, ${r.non2xx} non-2xx`,
        total: r.requests.total,
      });
    });
  });
}

/**
 * The load test, taking turns with the ceiling when there is one: server, ceiling, server, ceiling…
 * On a machine shared with other work the speed drifts within a minute, so each round's two figures
 * are compared with each other, and the round with the median share is the one reported.
 */
async function loadInTurns(
  serverLoad: () => Promise<Load>,
  ceilingLoad?: () => Promise<Load>,
): Promise<{ load: Load; ceiling?: Load; shares?: number[] }> {
  if (!ceilingLoad) return { load: await serverLoad() };
  const rounds: { load: Load; ceiling: Load; share: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const load = await serverLoad();
    const ceiling = await ceilingLoad();
    rounds.push({ load, ceiling, share: load.requestsPerSecond / ceiling.requestsPerSecond });
  }
  const median = [...rounds].sort((a, b) => a.share - b.share)[Math.floor(rounds.length / 2)]!;
  // Errors in any round count, not only in the one reported.
  const errors = (pick: (r: (typeof rounds)[number]) => Load) => rounds.reduce((n, r) => n + pick(r).errors, 0);
  return {
    load: { ...median.load, errors: errors((r) => r.load) },
    ceiling: { ...median.ceiling, errors: errors((r) => r.ceiling) },
    shares: rounds.map((r) => r.share),
  };
}

async function benchBackend(
  backend: string,
  database: Database,
  statements?: StatementLog,
  ceilingFor?: (captured: StatementLog['captured']) => Promise<Load>,
): Promise<Result> {
  const server = await createServer({ database, config });
  const { url } = await server.listen(0, '127.0.0.1');
  try {
    const email = `bench-${Date.now()}@example.test`;
    const password = 'bench password, long enough';
    await call(`${url}/api/v1/auth/register`, { method: 'POST', body: JSON.stringify({ email, password }) });
    const login = await call(`${url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password }) });
    const token: string = login.body.access_token;
    const org: string = (await call(`${url}/api/v1/org/memberships`, { token })).body.active_org_id;
    const safe = (await call(`${url}/api/v1/safes`, { method: 'POST', token, org, body: JSON.stringify({ name: 'bench' }) })).body.id;

    const push = (items: unknown[]) => call(`${url}/api/v1/items/batch`, { method: 'POST', token, org, body: JSON.stringify({ items }) });
    const newItems = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        id: `item-${from + i}`,
        safe_id: safe,
        kind: 'secret',
        baseRevision: 0,
        ciphertext: fakeCiphertext(),
      }));

    // Push of 1,000 new items in one batch (the first batch; the rest fill the org to ITEMS).
    const [pushMs] = await time(() => push(newItems(0, PUSH_BATCH)));
    for (let from = PUSH_BATCH; from < ITEMS; from += PUSH_BATCH) await push(newItems(from, Math.min(PUSH_BATCH, ITEMS - from)));

    // First pull: follow the cursor until nothing more is pending.
    let cursor = '';
    let firstPullBytes = 0;
    let firstPullRequests = 0;
    let pulled = 0;
    const [firstPullMs] = await time(async () => {
      for (;;) {
        const page = await call(`${url}/api/v1/sync?limit=${PULL_PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { token, org });
        firstPullBytes += page.bytes;
        firstPullRequests++;
        pulled += page.body.items.length;
        cursor = page.body.cursor;
        if (!page.body.hasMore) break;
      }
    });
    if (pulled !== ITEMS) throw new Error(`first pull returned ${pulled} items, expected ${ITEMS}`);

    // One-item delta after one write.
    await push([{ id: 'item-7', safe_id: safe, kind: 'secret', baseRevision: 1, ciphertext: fakeCiphertext() }]);
    const [deltaMs, delta] = await time(() => call(`${url}/api/v1/sync?cursor=${cursor}`, { token, org }));
    if (delta.body.items.length !== 1) throw new Error(`delta returned ${delta.body.items.length} items, expected 1`);

    // The statements one idle poll runs, as the driver received them, for the ceiling below.
    const pollUrl = `${url}/api/v1/sync?cursor=${delta.body.cursor}`;
    if (statements) {
      statements.recording = [];
      await call(pollUrl, { token, org });
      statements.captured = statements.recording;
      statements.recording = null;
    }

    // Many clients polling for changes from the latest cursor.
    const polled = await loadInTurns(
      () => autocannon(pollUrl, { authorization: `Bearer ${token}`, 'x-active-org-id': org }),
      statements && ceilingFor ? () => ceilingFor(statements.captured) : undefined,
    );
    // Edits of 1,000 secrets in one batch: each keeps the version it replaces (item_revisions).
    // After the load test, whose polls would otherwise page through these changes.
    const edits = newItems(PUSH_BATCH, PUSH_BATCH).map((write) => ({ ...write, baseRevision: 1 }));
    const [editMs, edited] = await time(() => push(edits));
    if (edited.body.results.some((r: { ok: boolean }) => !r.ok)) throw new Error('an edit of the batch was refused');
    // The nginx runs poll from a cursor past these edits, like the load test above.
    const caughtUp = await call(`${url}/api/v1/sync?limit=${PULL_PAGE}&cursor=${delta.body.cursor}`, { token, org });
    if (caughtUp.body.hasMore) throw new Error('the edits did not fit in one page');
    lastAccount = { token, org, cursor: caughtUp.body.cursor };
    return {
      backend,
      firstPullMs,
      firstPullBytes,
      firstPullRequests,
      deltaMs,
      deltaBytes: delta.bytes,
      pushMs,
      editMs,
      ...polled,
    };
  } finally {
    await server.close();
  }
}

/** What the last benchBackend left signed in, for the multi-process run on the same data. */
let lastAccount: { token: string; org: string; cursor: string } | null = null;

interface StatementLog {
  recording: { query: string; params: unknown[] }[] | null;
  captured: { query: string; params: unknown[] }[];
}

/**
 * The ceiling: the statements one idle poll runs, captured from the server as the driver received
 * them, sent straight through postgres-js with as many connections as the server's pool, by as
 * many concurrent "clients" as the load test has, each running one poll's statements in order (a
 * poll needs each answer before the next). postgres-js pipelines every query queued on a
 * connection, so this is the most polls a second the database and driver give this process, with
 * no HTTP, routing, validation or JSON.
 */
async function ceiling(url: string, statements: { query: string; params: unknown[] }[]): Promise<Load> {
  if (statements.length === 0) throw new Error('no statements were captured from the delta route');
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const latencies: number[] = [];
  let errors = 0;
  try {
    const poll = async () => {
      for (const s of statements) await client.unsafe(s.query, s.params as never[], { prepare: true });
    };
    await poll(); // prepared before the clock starts, like the server's own warm-up request
    const end = performance.now() + DURATION_S * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          try {
            await poll();
            latencies.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    await client.end();
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  return {
    requestsPerSecond: latencies.length / DURATION_S,
    p99Ms: at(0.99),
    maxMs: Math.round(latencies[latencies.length - 1] ?? 0),
    errors,
    breakdown: `${errors} query errors`,
    total: latencies.length,
  };
}

async function benchBare(): Promise<Load> {
  const app = new Hono();
  app.get('/bench/bare', (c) => c.json({ items: [], hasMore: false }));
  const http = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    return await autocannon(`http://127.0.0.1:${(http.address() as AddressInfo).port}/bench/bare`, {});
  } finally {
    await new Promise((resolve) => {
      http.close(resolve);
      http.closeIdleConnections();
    });
  }
}

/** A throw-away database next to the one DATABASE_URL names; falls back to that database. */
async function postgresStore(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `keysmith_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch {
    await admin.end();
    return { url, drop: async () => {} };
  }
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const ms = (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`);
const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const loadCell = (l: Load) =>
  `${Math.round(l.requestsPerSecond).toLocaleString('en')} req/s, p99 ${l.p99Ms} ms, max ${l.maxMs} ms, ` +
  `${l.errors} errors (${l.total.toLocaleString('en')} requests)`;

/**
 * The deployment shape: the nginx site of docs/deploy/ (TLS) in front of `processes` server
 * processes (`node --import tsx server/main.ts`, request log on) on the PostgreSQL database the
 * in-process run filled, polled with the same account and cursor.
 */
async function benchBehindNginx(databaseUrl: string, processes: 1 | 2): Promise<Load> {
  const { makeCertificate, removeDir, startNginx, startServerProcess, templatedSite, tempDir } = await import('../tests/deploy/stack');
  const { freePort } = await import('../tests/free-port');
  const dir = tempDir('keysmith-bench-nginx-');
  const started: { stop(): Promise<void> }[] = [];
  try {
    const env = {
      DATABASE_URL: databaseUrl,
      TRUST_PROXY: '1',
      KEYSMITH_RATE_LIMIT_PER_ADDRESS: '100000000',
      KEYSMITH_RATE_LIMIT_PER_TOKEN: '100000000',
    };
    const servers = [];
    for (let i = 0; i < processes; i++) {
      const server = await startServerProcess(env);
      started.push(server);
      servers.push(server);
    }
    const cert = makeCertificate(dir);
    const ports = { httpsPort: await freePort(), httpPort: await freePort() };
    const upstreams: [number, number] = [servers[0]!.port, (servers[1] ?? servers[0]!).port];
    const nginx = await startNginx(join(dir, 'nginx'), templatedSite({ ...ports, upstreams, cert }), ports);
    started.push(nginx);
    const { token, org, cursor } = lastAccount!;
    // autocannon has no option for a CA file; this certificate was made a moment ago for this run.
    return await autocannon(
      `${nginx.url}/api/v1/sync?cursor=${cursor}`,
      { authorization: `Bearer ${token}`, 'x-active-org-id': org },
      { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' },
    );
  } finally {
    for (const s of started.reverse()) await s.stop();
    removeDir(dir);
  }
}

async function main() {
  const results: Result[] = [];
  let behindNginx: [Load, Load] | null = null;

  if (withPglite) {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-'));
    const pglite = await openDatabase({ dataDir: dir });
    try {
      results.push(await benchBackend('PGlite', pglite));
    } finally {
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (withPostgres) {
    const store = await postgresStore(pgUrl!);
    const statements: StatementLog = { recording: null, captured: [] };
    const pg = await openDatabase({
      databaseUrl: store.url,
      maxConnections: 10,
      logQuery: (query, params) => statements.recording?.push({ query, params }),
    });
    try {
      // In the same run, on the same data, in turns with the server: the route's statements alone.
      results.push(await benchBackend('PostgreSQL', pg, statements, (captured) => ceiling(store.url, captured)));
      if (args.get('nginx') !== 'false') behindNginx = [await benchBehindNginx(store.url, 1), await benchBehindNginx(store.url, 2)];
    } finally {
      await pg.close();
      await store.drop();
    }
  }

  const bare = await benchBare();

  const rows: [string, (r: Result) => string][] = [
    [
      `First pull, ${ITEMS.toLocaleString('en')} items`,
      (r) => `${ms(r.firstPullMs)}, ${kb(r.firstPullBytes)} in ${r.firstPullRequests} requests`,
    ],
    ['One-item delta', (r) => `${ms(r.deltaMs)}, ${r.deltaBytes} B`],
    [`Push ${PUSH_BATCH.toLocaleString('en')} new items (one batch)`, (r) => ms(r.pushMs)],
    [`Push ${PUSH_BATCH.toLocaleString('en')} edits (one batch, each keeping the version it replaces)`, (r) => ms(r.editMs)],
    [`Delta sync, ${CONNECTIONS} clients, ${DURATION_S} s`, (r) => loadCell(r.load)],
  ];
  const head = [`Server (loopback, Node ${process.version})`, ...results.map((r) => r.backend)];
  const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`),
    `| Ceiling: the delta route's SQL through the driver, ${CONNECTIONS} clients, ${DURATION_S} s | ${results
      .map((r) =>
        r.ceiling
          ? `${loadCell(r.ceiling)}; the server reaches ${pct(r.load.requestsPerSecond, r.ceiling.requestsPerSecond)}` +
            (r.shares && r.shares.length > 1
              ? ` (median of ${r.shares.length} rounds in turn: ${r.shares.map((x) => pct(x, 1)).join(', ')})`
              : '')
          : '—',
      )
      .join(' | ')} |`,
    ...(behindNginx
      ? [
          `| Behind nginx (TLS), 1 process, ${CONNECTIONS} clients, ${DURATION_S} s | ${results.map((r) => (r.backend === 'PostgreSQL' ? loadCell(behindNginx![0]) : '—')).join(' | ')} |`,
          `| Behind nginx (TLS), 2 processes, ${CONNECTIONS} clients, ${DURATION_S} s | ${results.map((r) => (r.backend === 'PostgreSQL' ? `${loadCell(behindNginx![1])}; ×${(behindNginx![1].requestsPerSecond / behindNginx![0].requestsPerSecond).toFixed(2)} of 1 process` : '—')).join(' | ')} |`,
        ]
      : []),
    // The ceiling has no load generator beside it and no HTTP: an empty route's share of it shows
    // how much of the gap HTTP and autocannon alone take on this machine.
    `| Bare Hono route, ${CONNECTIONS} clients, ${DURATION_S} s | ${results
      .map((r) => `${loadCell(bare)}${r.ceiling ? `; ${pct(bare.requestsPerSecond, r.ceiling.requestsPerSecond)} of the ceiling` : ''}`)
      .join(' | ')} |`,
  ];
  console.log(lines.join('\n'));
  const all = [
    ...results.map((r) => [r.backend, r.load] as const),
    ...results.flatMap((r) => (r.ceiling ? [[`${r.backend} ceiling`, r.ceiling] as const] : [])),
    ...(behindNginx
      ? ([
          ['nginx, 1 process', behindNginx[0]],
          ['nginx, 2 processes', behindNginx[1]],
        ] as const)
      : []),
    ['bare', bare] as const,
  ];
  const failed = all.some(([, l]) => l.errors > 0);
  if (failed) {
    console.error(`Load test had errors: ${all.map(([name, l]) => `${name}: ${l.breakdown}`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
