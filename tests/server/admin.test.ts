/**
 * `npm run admin -- …` on a real PGlite data directory that a server wrote: once as the operator
 * runs it (a real process), then its commands on the open database with the server running on it,
 * so each effect is seen over HTTP: listing without secrets, disable and enable, delete, bad input.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/admin/commands';
import { openDatabase } from '../../server/db/open';
import { serverSettings } from '../../server/db/schema';
import type { Database } from '../../server/db/types';
import { createServer, type KeysmithServer } from '../../server/server';
import { Api } from './helpers/api';
import { testConfig } from './helpers/harness';

const root = fileURLToPath(new URL('../..', import.meta.url));

function adminProcess(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, KEYSMITH_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/admin/main.ts', ...args],
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run admin on PGlite', () => {
  let dir: string;
  let database: Database;
  let server: KeysmithServer;
  let api: Api;
  const alice = { email: `alice-${Date.now()}@example.test`, password: 'alice has a long password' };
  const bob = { email: `bob-${Date.now()}@example.test`, password: 'bob has a long password too' };
  let aliceToken = '';
  let bobOrg = '';

  const admin = async (...args: string[]) => {
    const lines: string[] = [];
    await runAdmin(database.db, args, (line) => lines.push(line));
    return lines.join('\n');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keysmith-admin-'));
    database = await openDatabase({ dataDir: dir });
    server = await createServer({ database, config: testConfig() });
    api = new Api((await server.listen(0, '127.0.0.1')).url);
    for (const who of [alice, bob]) {
      const reg = await api.post('/api/v1/auth/register', { body: { ...who, keys: { wrapped: 'SECRET-WRAPPED-KEYS' } } });
      expect(reg.status).toBe(201);
    }
    aliceToken = await api.login(alice.email, alice.password);
    const bobToken = await api.login(bob.email, bob.password);
    bobOrg = (await api.get('/api/v1/org/memberships', { token: bobToken })).body.active_org_id;
    const safe = await api.post('/api/v1/safes', { token: bobToken, org: bobOrg, body: { name: 'bob-safe' } });
    const push = await api.post('/api/v1/items/batch', {
      token: bobToken,
      org: bobOrg,
      body: { items: [{ id: 'one', safe_id: safe.body.id, kind: 'secret', baseRevision: 0, ciphertext: { v: 'x' } }] },
    });
    expect(push.status).toBe(200);
    await server.close();
    await database.close();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('as a process: lists accounts with e-mail, created and last seen, and no secret; a bad command exits 1 with usage', async () => {
    const table = await adminProcess(dir, 'accounts');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^E-mail\s+Created\s+Last seen\s+Status$/m);
    const stamp = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ';
    for (const who of [alice, bob]) {
      expect(table.stdout).toMatch(new RegExp(`^${who.email}\\s+${stamp}\\s+${stamp}\\s+active$`, 'm'));
    }
    expect(table.stdout).not.toMatch(/scrypt|hmac|SECRET-WRAPPED-KEYS|password/i);
    const bad = await adminProcess(dir, 'frobnicate');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown command "frobnicate".');
    expect(bad.stderr).toContain('Usage: npm run admin -- <command>');
  }, 60_000);

  describe('with the server running on the same database', () => {
    beforeAll(async () => {
      database = await openDatabase({ dataDir: dir });
      server = await createServer({ database, config: testConfig() });
      api = new Api((await server.listen(0, '127.0.0.1')).url);
    }, 60_000);

    it('lists as JSON without secrets', async () => {
      const listed = JSON.parse(await admin('accounts', '--json'));
      expect(listed.map((a: { email: string }) => a.email)).toEqual([alice.email, bob.email]);
      for (const account of listed) {
        expect(Object.keys(account).sort()).toEqual(['createdAt', 'disabled', 'email', 'lastSeenAt']);
        expect(account.lastSeenAt).not.toBeNull();
      }
    });

    it('disables an account (its sessions end, it cannot sign in) and enables it again', async () => {
      expect((await api.get('/api/v1/org/memberships', { token: aliceToken })).status).toBe(200);
      expect(await admin('disable', alice.email.toUpperCase())).toContain('1 session(s) revoked');
      expect(JSON.parse(await admin('accounts', '--json'))[0].disabled).toBe(true);
      expect((await api.get('/api/v1/org/memberships', { token: aliceToken })).status).toBe(401);
      const login = await api.post('/api/v1/auth/login', { body: alice });
      expect(login.status).toBe(403);
      expect(login.body.error.code).toBe('account_disabled');
      // A wrong password still gets only 401: the disabled state is told to the owner alone.
      expect((await api.post('/api/v1/auth/login', { body: { ...alice, password: 'not it at all' } })).status).toBe(401);
      await admin('enable', alice.email);
      expect((await api.post('/api/v1/auth/login', { body: alice })).status).toBe(200);
    });

    it('deletes an account with its org and items, only when told --yes', async () => {
      await expect(admin('delete', bob.email)).rejects.toThrow('add --yes');
      expect((await api.post('/api/v1/auth/login', { body: bob })).status).toBe(200);
      expect(await admin('delete', bob.email, '--yes')).toBe(`Deleted ${bob.email} and its data.`);
      expect((await api.post('/api/v1/auth/login', { body: bob })).status).toBe(401);
      const left = (await database.db.execute(`select
        (select count(*) from users where email = '${bob.email}')::int as users,
        (select count(*) from orgs where id = '${bobOrg}')::int as orgs,
        (select count(*) from items where org_id = '${bobOrg}')::int as items,
        (select count(*) from safes where org_id = '${bobOrg}')::int as safes,
        (select count(*) from users)::int as everyone`)) as unknown as { rows: unknown[] };
      expect(left.rows[0]).toEqual({ users: 0, orgs: 0, items: 0, safes: 0, everyone: 1 });
    });

    it('sets the registration mode, and refuses bad input with words and nothing changed', async () => {
      expect(await admin('registration', 'closed')).toBe('Registration is now closed.');
      const rows = await database.db.select().from(serverSettings);
      expect(rows.find((r) => r.key === 'registration_mode')?.value).toBe('closed');
      await expect(admin('registration', 'maybe')).rejects.toThrow('registration takes open, invite, closed.');
      await expect(admin('disable', 'nobody@example.test')).rejects.toThrow('No account has the e-mail address nobody@example.test.');
      await expect(admin('delete', 'nobody@example.test', '--yes')).rejects.toThrow('No account has the e-mail address');
      await expect(admin('disable')).rejects.toThrow('disable needs an e-mail address.');
      expect(JSON.parse(await admin('accounts', '--json'))).toHaveLength(1);
    });
  });
});
