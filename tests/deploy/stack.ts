/**
 * The deployment of docs/deploy/, for real, on this machine: Debian's nginx running the site file
 * docs/deploy/keysmith.nginx.conf (only its certificate paths, ports and server name replaced), a
 * certificate made here with openssl, and server processes as systemd starts them
 * (`node --import tsx server/main.ts`) on one PostgreSQL database.
 *
 * PostgreSQL is required (TEST_DATABASE_URL): several processes on one database is the point, and
 * PGlite is one process's embedded database. Without it the suite fails and says so.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { freePort } from '../free-port';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const SITE_FILE = join(root, 'docs/deploy/keysmith.nginx.conf');
const NGINX = '/usr/sbin/nginx';

export function requirePostgres(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'The deployment tests need PostgreSQL: set TEST_DATABASE_URL (a role that may CREATE DATABASE), e.g. ' +
        'TEST_DATABASE_URL=postgres://keysmith:keysmith@127.0.0.1:5432/keysmith_test (scripts/ci-postgres.sh does).',
    );
  }
  if (!existsSync(NGINX)) throw new Error(`The deployment tests need Debian's nginx at ${NGINX}: apt-get install -y nginx`);
  return url;
}

/** A fresh database beside TEST_DATABASE_URL's, dropped by `drop`. */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `keysmith_deploy_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface Certificate {
  certFile: string;
  keyFile: string;
  pem: string;
  /** base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
}

export function makeCertificate(dir: string): Certificate {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const der = execFileSync('sh', ['-c', `openssl x509 -in '${certFile}' -pubkey -noout | openssl pkey -pubin -outform der`]);
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8'), spki };
}

/** Replaces `from` with `to` in the site file, and fails if the file no longer says `from`. */
function replaceOrFail(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`${SITE_FILE} no longer contains ${String(from)}: update tests/deploy/stack.ts`);
  return typeof from === 'string' ? text.split(from).join(to) : text.replace(new RegExp(from.source, 'g'), to);
}

/** The site file with this machine's ports and certificate: nothing else is changed. */
export function templatedSite(options: { httpsPort: number; httpPort: number; upstreams: [number, number]; cert: Certificate }) {
  let site = readFileSync(SITE_FILE, 'utf8');
  site = replaceOrFail(site, '/etc/letsencrypt/live/keysmith.example.com/fullchain.pem', options.cert.certFile);
  site = replaceOrFail(site, '/etc/letsencrypt/live/keysmith.example.com/privkey.pem', options.cert.keyFile);
  site = replaceOrFail(site, /listen (\[::\]:)?443 /, `listen $1${options.httpsPort} `);
  site = replaceOrFail(site, /listen (\[::\]:)?80;/, `listen $1${options.httpPort};`);
  site = replaceOrFail(site, 'server 127.0.0.1:8787 ', `server 127.0.0.1:${options.upstreams[0]} `);
  site = replaceOrFail(site, 'server 127.0.0.1:8788 ', `server 127.0.0.1:${options.upstreams[1]} `);
  site = replaceOrFail(site, /server_name keysmith\.example\.com;/, 'server_name localhost;');
  return site;
}

export interface Nginx {
  url: string;
  httpUrl: string;
  stop(): Promise<void>;
}

/**
 * nginx in the foreground with its own prefix: the main file is what Debian's /etc/nginx/nginx.conf
 * does for a site (an http block that includes it), with every file it writes inside `dir`.
 */
export async function startNginx(dir: string, site: string, ports: { httpsPort: number; httpPort: number }): Promise<Nginx> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/logs/error.log warn;`,
      'worker_processes 1;',
      'events { worker_connections 1024; }',
      'http {',
      `  access_log ${dir}/logs/access.log;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t}_temp;`),
      `  include ${dir}/site.conf;`,
      '}',
    ].join('\n'),
  );
  execFileSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' });
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    return existsSync(join(dir, 'nginx.pid')) && (await accepts(ports.httpsPort)) && (await accepts(ports.httpPort));
  }, 'nginx to start');
  return {
    url: `https://127.0.0.1:${ports.httpsPort}`,
    httpUrl: `http://127.0.0.1:${ports.httpPort}`,
    stop: () => stopChild(child),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export interface ServerProcess {
  port: number;
  url: string;
  /** Every JSON line it has written to stdout so far. */
  lines(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** A server process the way keysmith@.service starts it. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}${err}`);
    return out.includes('listening on');
  }, 'the server to start');
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

export interface Stack {
  nginx: Nginx;
  servers: [ServerProcess, ServerProcess];
  cert: Certificate;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Two server processes on one fresh PostgreSQL database, behind the nginx site. */
export async function startStack(serverEnv: Record<string, string>): Promise<Stack> {
  const adminUrl = requirePostgres();
  const dir = tempDir('keysmith-deploy-');
  const database = await freshDatabase(adminUrl);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const env = { DATABASE_URL: database.url, KEYSMITH_DATA_DIR: join(dir, 'unused'), ...serverEnv };
    // One after the other: both apply migrations at start, and the first creates the tables.
    const first = await startServerProcess(env);
    started.push(first);
    const second = await startServerProcess(env);
    started.push(second);
    const cert = makeCertificate(dir);
    const ports = { httpsPort: await freePort(), httpPort: await freePort() };
    const site = templatedSite({ ...ports, upstreams: [first.port, second.port], cert });
    const nginx = await startNginx(join(dir, 'nginx'), site, ports);
    started.push(nginx);
    return {
      nginx,
      servers: [first, second],
      cert,
      databaseUrl: database.url,
      async stop() {
        for (const s of started.reverse()) await s.stop();
        await database.drop();
        removeDir(dir);
      },
    };
  } catch (error) {
    for (const s of started.reverse()) await s.stop();
    await database.drop();
    removeDir(dir);
    throw error;
  }
}
