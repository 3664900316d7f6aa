// An unlock of a linked vault, through the request handlers as the background runs them: by the
// time the unlocked hooks run (they open the live connection, lib/sync/live.ts), the engine can log
// in. Were the auth secret held only after them, the connection would find no credentials, stay
// closed until the next alarm, and the device would miss other devices' changes meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../lib/messages/handlers';
import { backends, startServer, type Running } from './helpers/harness';
import { device, email, MASTER, newVault } from './sync-helpers';

describe.each(backends)('unlocking a linked vault (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('holds the auth secret before the unlocked hooks open the live connection', async () => {
    const d = await device();
    await newVault(d);
    await d.engine.createAccount({ serverUrl: server.url, email: email(), masterPassword: MASTER });
    const sessions: unknown[] = [];
    const noop = async () => {};
    const handlers = createHandlers(d.vault, {
      unlocked: async () => void sessions.push(await d.engine.liveSession()),
      locked: async () => d.engine.forget(),
      settingsChanged: noop,
      sync: { engine: d.engine, changed: () => {} },
      copyToClipboard: noop,
      page: { origin: async () => null, fill: async () => ({ filled: false }) as never },
      selection: { job: async () => undefined, save: noop, replace: async () => false } as never,
    });
    await handlers['vault.lock'](undefined);
    expect(await d.engine.liveSession()).toBeUndefined();
    await handlers['vault.unlock']({ masterPassword: MASTER });
    expect(sessions).toEqual([expect.objectContaining({ serverUrl: server.url, token: expect.any(String) })]);
  });
});
