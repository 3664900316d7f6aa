/**
 * The backups docs/server.md describes, done and restored for real: PostgreSQL with pg_dump and
 * pg_restore, PGlite by copying its data directory (tar) while the server is stopped. After each
 * restore a server starts on the copy, the account signs in, and its items come back.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open';
import type { Database } from '../../server/db/types';
import { createServer } from '../../server/server';
import { type Account, Api } from './helpers/api';
import { backends, testConfig } from './helpers/harness';

/** Runs `work` against a server on `database`, then stops the server and closes the database. */
async function serve<T>(database: Database, work: (api: Api) => Promise<T>): Promise<T> {
  const server = await createServer({ database, config: testConfig() });
  const { url } = await server.listen(0, '127.0.0.1');
  try {
    return await work(new Api(url));
  } finally {
    await server.close();
    await database.close();
  }
}

const ITEMS = ['alpha', 'beta', 'gamma'];

async function fill(api: Api): Promise<Account> {
  const account = await api.signup('backup');
  const safe = await api.createSafe(account);
  const push = await api.push(
    account,
    ITEMS.map((id) => ({ id, safe_id: safe, kind: 'secret', baseRevision: 0, ciphertext: { v: `ciphertext of ${id}` } })),
  );
  expect(push.status).toBe(200);
  return account;
}

async function expectRestored(api: Api, account: Account) {
  const token = await api.login(account.email, account.password);
  const pulled = await api.sync({ ...account, token });
  expect(pulled.status).toBe(200);
  expect(pulled.body.items.map((i: { id: string; ciphertext: { v: string } }) => [i.id, i.ciphertext.v]).sort()).toEqual(
    ITEMS.map((id) => [id, `ciphertext of ${id}`]),
  );
}

describe('backup and restore', () => {
  it("PGlite: a copy of the stopped server's data directory starts, signs in and gives the items back", async () => {
    const work = mkdtempSync(join(tmpdir(), 'keysmith-backup-'));
    try {
      const live = join(work, 'data');
      const account = await serve(await openDatabase({ dataDir: live }), fill);
      // The documented commands: tar the stopped directory, unpack it elsewhere.
      execFileSync('tar', ['-C', work, '-czf', join(work, 'keysmith.tgz'), 'data']);
      rmSync(live, { recursive: true, force: true });
      const restored = join(work, 'restored');
      mkdirSync(restored);
      execFileSync('tar', ['-C', restored, '-xzf', join(work, 'keysmith.tgz')]);
      await serve(await openDatabase({ dataDir: join(restored, 'data') }), (api) => expectRestored(api, account));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  // With TEST_DATABASE_URL only, like every PostgreSQL case of this suite (helpers/harness.ts `backends`).
  if (backends.includes('postgres'))
    it('PostgreSQL: pg_dump of the running server, pg_restore into a new database, which signs in and gives the items back', async () => {
      const adminUrl = process.env.TEST_DATABASE_URL!;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      const names = [`keysmith_b_${randomBytes(5).toString('hex')}`, `keysmith_r_${randomBytes(5).toString('hex')}`];
      const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
      const work = mkdtempSync(join(tmpdir(), 'keysmith-backup-'));
      try {
        for (const name of names) await admin.unsafe(`CREATE DATABASE ${name}`);
        const [source, restored] = names.map(urlOf) as [string, string];
        const dump = join(work, 'keysmith.dump');
        const account = await serve(await openDatabase({ databaseUrl: source }), async (api) => {
          const filled = await fill(api);
          // While it serves: pg_dump takes a consistent snapshot without stopping anyone.
          execFileSync('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, source]);
          return filled;
        });
        execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restored}`, dump]);
        await serve(await openDatabase({ databaseUrl: restored }), (api) => expectRestored(api, account));
      } finally {
        for (const name of names) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
        rmSync(work, { recursive: true, force: true });
      }
    }, 120_000);
});
