import { memorySessionStore } from '../../lib/vault/session-secret';
import { SyncEngine } from '../../lib/sync/engine';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FillSecret, FillWarning } from '../../lib/autofill/types';
import type { SelectionJob } from '../../lib/selection/types';
import { dispatch, type Handlers } from '../../lib/messages/dispatch';
import { createHandlers } from '../../lib/messages/handlers';
import type { RequestType } from '../../lib/messages/protocol';
import { ALLOWED_SENDERS, classifySender } from '../../lib/messages/senders';
import { openVault, type Vault } from '../../lib/vault/vault';

const SELF = { id: 'abcdefghijklmnopabcdefghijklmnop', origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' };
const POPUP = { id: SELF.id, url: `${SELF.origin}/popup.html` };
const OPTIONS_TAB = { id: SELF.id, url: `${SELF.origin}/options.html`, tab: { id: 7, url: `${SELF.origin}/options.html` }, frameId: 0 };
const CONTENT = { id: SELF.id, url: 'https://example.com/login', tab: { id: 3, url: 'https://example.com/login' }, frameId: 0 };

describe('classifySender', () => {
  it('recognises our pages by the attested URL, with or without a tab', () => {
    expect(classifySender(POPUP, SELF)).toBe('extension-page');
    expect(classifySender(OPTIONS_TAB, SELF)).toBe('extension-page');
  });

  it('recognises a content script in a web page', () => {
    expect(classifySender(CONTENT, SELF)).toBe('content-script');
    expect(classifySender({ ...CONTENT, frameId: 4, url: 'https://ads.example/frame' }, SELF)).toBe('content-script');
  });

  it('trusts nothing else', () => {
    expect(classifySender({ ...POPUP, id: 'another-extension' }, SELF)).toBe('unknown');
    expect(classifySender({ id: SELF.id }, SELF)).toBe('unknown');
    // A look-alike origin: our id as a prefix of another extension's host.
    expect(classifySender({ id: SELF.id, url: `${SELF.origin}x/popup.html` }, SELF)).toBe('unknown');
    expect(classifySender({ id: SELF.id, url: 'file:///etc/passwd', tab: { id: 1 } }, SELF)).toBe('unknown');
  });
});

describe('dispatch with the real vault', () => {
  let vault: Vault;
  let handlers: Handlers;
  const noop = async () => {};
  const copied: [string, number][] = [];
  let pageOrigin: string | null = null;
  const jobs = new Map<string, SelectionJob>();
  const replaced: [string, string][] = [];
  const fills: { secret: FillSecret; value: string; confirmed: readonly FillWarning[] }[] = [];

  beforeAll(async () => {
    vault = await openVault({ indexedDB: new IDBFactory() });
    handlers = createHandlers(vault, {
      unlocked: noop,
      locked: noop,
      settingsChanged: noop,
      sync: { engine: new SyncEngine({ vault, credentials: memorySessionStore() }), changed: () => {} },
      copyToClipboard: async (text, seconds) => {
        copied.push([text, seconds]);
      },
      // The browser side of a fill is tested in real Chromium (tests/e2e/fill.spec.ts); here, what the handler hands it.
      page: {
        origin: async () => pageOrigin,
        fill: async (secret, value, answer) => {
          fills.push({ secret, value: await value(), confirmed: answer?.confirmed ?? [] });
          return { filled: true };
        },
      },
      // The page side of a right-click is tested in real Chromium (tests/e2e/selection.spec.ts); here, jobs as the menu makes them.
      selection: {
        job: async (id) => jobs.get(id),
        save: async (job) => void jobs.set(job.id, job),
        replace: async (job, text) => {
          replaced.push([job.id, text]);
          return true;
        },
        finish: async (job) => void jobs.delete(job.id),
      },
    });
    await vault.setup('correct horse battery staple');
    await vault.create({ appName: 'Personal', envName: 'Development', keyValuePairs: { DB_PASSWORD: 's3cret' } });
  });

  it('lets extension pages list and reveal', async () => {
    const safes = await dispatch(handlers, 'vault.listSafes', undefined, 'extension-page');
    expect(safes.ok).toBe(true);
    if (!safes.ok) return;
    const safe = safes.value[0]!;
    const env = safe.environments.find((e) => e.name === 'Development')!;
    const list = await dispatch(handlers, 'vault.listSecrets', { safeId: safe.id, envId: env.id }, 'extension-page');
    expect(list.ok && list.value.map((s) => ('key' in s ? s.key : s.error))).toEqual(['DB_PASSWORD']);
  });

  it('copies a secret by id in the background, and refuses empty or huge text', async () => {
    const [secret] = await vault.get({ appName: 'Personal', envName: 'Development', keyToFind: 'DB_PASSWORD' });
    expect(await dispatch(handlers, 'clipboard.copy', { id: secret!.id }, 'extension-page')).toEqual({
      ok: true,
      value: { clearAfterSeconds: 30 },
    });
    expect(copied.at(-1)).toEqual(['s3cret', 30]);
    const empty = await dispatch(handlers, 'clipboard.copy', { text: '' }, 'extension-page');
    expect(!empty.ok && empty.error.field).toBe('text');
    const huge = await dispatch(handlers, 'clipboard.copy', { text: 'x'.repeat(1_000_001) }, 'extension-page');
    expect(!huge.ok && huge.error.code).toBe('invalid_input');
    expect(copied).toHaveLength(1);
  });

  it('refuses a settings change while locked, in words', async () => {
    await vault.lock();
    try {
      const reply = await dispatch(handlers, 'vault.updateSettings', { autoLockMinutes: null }, 'extension-page');
      expect(reply).toEqual({
        ok: false,
        error: {
          code: 'locked',
          message: 'The vault is locked: unlock it with your master password',
          text: { key: 'errLocked', params: [] },
        },
      });
    } finally {
      await vault.unlock('correct horse battery staple');
    }
    expect((await vault.getSettings()).autoLockMinutes).toBe(15);
  });

  it.each(Object.keys(ALLOWED_SENDERS) as RequestType[])('refuses %s from a content script or an unknown sender', async (type) => {
    for (const kind of ['content-script', 'unknown'] as const) {
      const reply = await dispatch(handlers, type, {} as never, kind);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: `${type} is not allowed from a ${kind} sender`, text: { key: 'errForbidden' } },
      });
    }
  });

  it('opens the popup in one request: status, safes and the remembered safe and environment (or the first)', async () => {
    const unknown = await dispatch(handlers, 'vault.open', { safeId: 'gone', envId: 'gone' }, 'extension-page');
    if (!unknown.ok || !unknown.value.view) throw new Error('expected a view');
    const { view } = unknown.value;
    expect(unknown.value.status).toEqual({ initialised: true, unlocked: true });
    const safe = view.safes[0]!;
    expect([view.safeId, view.envId]).toEqual([safe.id, safe.environments[0]!.id]);
    expect(view.secrets.map((s) => ('key' in s ? s.key : s.error))).toEqual(['DB_PASSWORD']);

    const staging = safe.environments.find((e) => e.name === 'Staging')!;
    const remembered = await dispatch(handlers, 'vault.open', { safeId: safe.id, envId: staging.id }, 'extension-page');
    expect(remembered.ok && remembered.value.view?.envId).toBe(staging.id);
    expect(remembered.ok && remembered.value.view?.secrets).toEqual([]);
  });

  it('refuses before running the handler, so a refused lock leaves the vault unlocked', async () => {
    await dispatch(handlers, 'vault.lock', undefined, 'content-script');
    expect(await vault.isUnlocked()).toBe(true);
  });

  it('returns typed errors as data, and hides unexpected ones', async () => {
    const wrong = await dispatch(handlers, 'vault.changeMasterPassword', { current: 'nope', next: 'whatever it is' }, 'extension-page');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_password', message: expect.stringMatching(/^Wrong master password/) } });

    const boom = {
      ...handlers,
      'vault.listSafes': async () => {
        throw new TypeError('db handle at 0x1234 is null');
      },
    };
    const hidden = await dispatch(boom, 'vault.listSafes', undefined, 'extension-page');
    expect(hidden.ok).toBe(false);
    if (!hidden.ok) {
      expect(hidden.error.code).toBe('internal');
      expect(hidden.error.message).not.toContain('0x1234');
    }
  });

  it('rejects a request type outside the contract', async () => {
    const reply = await dispatch(handlers, 'secrets.dumpAll' as RequestType, undefined as never, 'extension-page');
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
  });

  it('offers and fills only the secrets meant for the active tab, and gives the page its sites, never others', async () => {
    const [site] = await vault.create({
      appName: 'Personal',
      envName: 'Production',
      keyValuePairs: [{ key: 'CONSOLE_TOKEN', value: 'tok-1', autofill: [{ origin: 'https://console.example', subdomains: false }] }],
    });
    pageOrigin = null;
    expect(await dispatch(handlers, 'fill.site', undefined, 'extension-page')).toEqual({ ok: true, value: { origin: null, hits: [] } });
    pageOrigin = 'https://console.example';
    const offered = await dispatch(handlers, 'fill.site', undefined, 'extension-page');
    expect(offered.ok && offered.value.hits.map((h) => h.key)).toEqual(['CONSOLE_TOKEN']);
    const filled = await dispatch(handlers, 'fill.fill', { id: site!.id }, 'extension-page');
    expect(filled).toEqual({ ok: true, value: { filled: true } });
    expect(fills.at(-1)).toEqual({
      secret: { sites: [{ origin: 'https://console.example', subdomains: false }], protected: true, envName: 'Production' },
      value: 'tok-1',
      confirmed: [],
    });
    // A content script (any page) may neither ask what is for its site nor trigger a fill.
    for (const type of ['fill.site', 'fill.fill'] as const) {
      const refused = await dispatch(handlers, type, { id: site!.id } as never, 'content-script');
      expect(refused.ok ? 'accepted' : refused.error.code).toBe('forbidden');
    }
    expect(fills).toHaveLength(1);
  });
});
