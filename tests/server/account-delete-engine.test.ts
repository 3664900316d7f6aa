/** The extension's sync engine deleting its account on a real server: the master password proved there, the local vault kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backends, type Running, startServer } from './helpers/harness';
import { contents, device, email, MASTER, newVault } from './sync-helpers';

describe.each(backends)('sync engine: delete the account on the server (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => server?.stop());

  const users = async (address: string) => {
    const result = await server.database.db.execute(sql`select count(*)::int as n from users where email = ${address}`);
    return Number(((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[])[0]!.n);
  };

  it("refuses a wrong master password, then deletes the account and keeps this device's secrets", async () => {
    const a = await device();
    await newVault(a);
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { KEEP_ME: 'local-zebra' } });
    const account = email();
    expect((await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER })).lastError).toBeUndefined();
    const before = await contents(a.vault);

    await expect(a.engine.deleteAccount('not the master password')).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await users(account)).toBe(1);
    expect((await a.engine.status()).linked).toBe(true);

    await a.engine.deleteAccount(MASTER);
    expect(await users(account)).toBe(0);
    expect(await a.engine.status()).toMatchObject({ linked: false });
    expect(await contents(a.vault)).toEqual(before);
    expect(before.join('\n')).toContain('KEEP_ME=local-zebra');
  });
});
