// A second device's search stays current with what sync applies (created, renamed, moved, deleted
// elsewhere), and "used by" there lists a referrer that arrived by sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type Running } from './helpers/harness';
import { device, email, MASTER, newVault } from './sync-helpers';

type Hit = { key: string; envName: string; path: string };
const where = (hits: Hit[]) => hits.map((h) => `${h.envName}${h.path === '/' ? '' : h.path}:${h.key}`).sort();

describe.each(backends)('search on a device that syncs (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sees every change another device made, once applied', async () => {
    const a = await device();
    await newVault(a);
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { STRIPE_KEY: 's', DB_PASSWORD: 'p' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await device();
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(where((await b.vault.search('stripe')).hits)).toEqual(['Development:STRIPE_KEY']); // B's names now in memory

    const stripe = (await a.vault.search('stripe')).hits[0]!;
    await a.vault.create({
      safeName: 'Personal',
      envName: 'Staging',
      keyValuePairs: { STRIPE_WEBHOOK: 'w', DB_URL: 'postgres://${Development.DB_PASSWORD}@db' },
    });
    await a.vault.update({
      id: stripe.id,
      safeName: 'Personal',
      envName: 'Development',
      newKey: 'STRIPE_SECRET',
      destinationPath: '/billing',
    });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(where((await b.vault.search('stripe')).hits)).toEqual(['Development/billing:STRIPE_SECRET', 'Staging:STRIPE_WEBHOOK']);
    const password = (await b.vault.search('db_password')).hits[0]!;
    expect((await b.vault.usedBy(password.id)).map((h) => h.key)).toEqual(['DB_URL']);

    await a.vault.delete({ safeName: 'Personal', envName: 'Staging', keyToDelete: 'STRIPE_WEBHOOK' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(where((await b.vault.search('stripe')).hits)).toEqual(['Development/billing:STRIPE_SECRET']);
  });
});
