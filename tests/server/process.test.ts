/** `npx tsx server/main.ts` as a real process: env settings, /healthz, graceful SIGTERM. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('server process', () => {
  it('starts on PGlite in KEYSMITH_DATA_DIR, answers /healthz, finishes in-flight work on SIGTERM, exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-proc-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', KEYSMITH_DATA_DIR: dir };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], { cwd: root, env });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 30 s: ${output}`)), 30_000);
        child.stdout.on('data', (d) => {
          output += d;
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      expect(output).toContain(`PGlite in ${dir}`);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });

      // A registration in flight when SIGTERM arrives still completes: half its body is sent before
      // the signal, the rest after.
      const body = JSON.stringify({ email: 'late@example.test', password: 'long enough' });
      const registration = request(`${url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
      });
      const inFlight = new Promise<number>((resolve, reject) => {
        registration.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        registration.on('error', reject);
      });
      registration.write(body.slice(0, 10));
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      registration.end(body.slice(10));
      expect(await inFlight).toBe(201);
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM received');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a refused start-up still writes its reason to stdout before exiting 1 (the log is written asynchronously)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', TRUST_PROXY: 'true' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], { cwd: root, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    const line = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(line.level).toBe(60);
    expect(line.msg).toMatch(/^Keysmith server failed to start: .*TRUST_PROXY/);
  }, 30_000);
});
