/** The extension's sync engine against a real server whose storage quota the account reaches. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import { device, email, MASTER, newVault } from './sync-helpers';

describe.each(backends)('sync engine at the storage quota (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend, testConfig({ quota: { items: 12, bytes: 10_000_000 } }));
  });
  afterAll(async () => server?.stop());

  it("reports quota_exceeded with the server's words, and keeps the changes waiting", async () => {
    const a = await device();
    await newVault(a);
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { A: '1' } });
    const created = await a.engine.createAccount({ serverUrl: server.url, email: email(), masterPassword: MASTER });
    expect(created.lastError).toBeUndefined();

    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`KEY_${i}`, `value-${i}`]));
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: many });
    const full = await a.engine.syncNow();
    expect(full.lastError?.code).toBe('quota_exceeded');
    // The client's own words (the server's text never reaches the pages); status-text.ts shows the quota sentence.
    expect(full.lastError?.message).toMatch(/507/);
    expect(full.waiting).toBeGreaterThanOrEqual(20);
    expect(full.refused).toBe(0); // not blamed on one item: the whole account is full
  });
});
