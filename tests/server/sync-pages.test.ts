// A new device's first pull of a vault that spans several pages: a small first page (it brings the
// safe), then full pages whose secrets' metas are opened while the page before is written
// (lib/sync/preopen.ts). Opening early must change nothing a server can exploit: each copy of an
// item is opened with its own binding, and the copy apply.ts keeps is the one whose opening it uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

const SECRETS = 1_600;

describe.each(backends)('a first pull over several pages (%s)', (backend) => {
  let server: Running;
  let a: Device;
  let account: string;
  beforeAll(async () => {
    server = await startServer(backend);
    a = await device();
    await newVault(a);
    const lines = Array.from({ length: SECRETS }, (_, i) => `PAGED_${String(i).padStart(4, '0')}=value-${i}`);
    await a.vault.importDotenv({ safeName: 'Personal', envName: 'Staging', text: lines.join('\n') });
    account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('asks for a small first page, then full ones, and ends with every secret searchable and readable', async () => {
    const b = await device();
    const limits: string[] = [];
    b.fault = async (url, _init, pass) => {
      if (url.pathname === '/api/v1/sync') limits.push(url.searchParams.get('limit') ?? '');
      return pass();
    };
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(limits.slice(0, 2)).toEqual(['1000', '5000']);
    expect((await b.engine.status()).damaged).toBe(0);
    expect((await b.vault.search('paged_')).total).toBe(SECRETS);
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
  }, 120_000);

  it('a later page carrying a forged copy of a secret beside the real one: the forged copy is refused, never the real one taken in its place', async () => {
    const b = await device();
    let page = 0;
    let forgedId: string | undefined;
    b.fault = rewritePulls((items) => {
      page++;
      if (page !== 2) return;
      // Two secrets of this page (opened early, as it arrives): a copy of the first, at a higher
      // revision, with the second one's meta. Both copies are opened; the newer one is kept and
      // must be judged by its own opening.
      const [first, second] = items.filter((i) => i.kind === 'secret');
      forgedId = first!.id;
      items.push({ ...first, revision: first!.revision + 1000, ciphertext: { ...first!.ciphertext, meta: second!.ciphertext.meta } });
    });
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(forgedId).toBeDefined();
    expect((await b.engine.status()).damaged).toBe(1);
    const held = await b.vault.search('paged_');
    expect(held.total).toBe(SECRETS - 1);
    // The refused secret is simply absent; every other one reads as the account holds it.
    const theirs = await contents(a.vault);
    const mine = await contents(b.vault);
    expect(mine).toHaveLength(SECRETS - 1);
    expect(theirs.filter((line) => !mine.includes(line))).toHaveLength(1);
  }, 120_000);
});
