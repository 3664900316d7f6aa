import { memorySessionStore } from '../../lib/vault/session-secret';
import { SyncEngine } from '../../lib/sync/engine';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../lib/messages/dispatch';
import { createHandlers } from '../../lib/messages/handlers';
import type { DataOf, RequestType } from '../../lib/messages/protocol';
import type { SelectionJob } from '../../lib/selection/types';
import { findToolkitJson } from '../../lib/selection/toolkit-json';
import { openVault, type Vault } from '../../lib/vault/vault';

const KEY_HEX = randomBytes(32).toString('hex');
const OTHER_KEY_HEX = randomBytes(32).toString('hex');

/** Node's own AES-256-GCM over the Toolkit JSON: an implementation that is not Keysmith's. */
function nodeDecrypt(json: string, key: Buffer): string {
  const o = JSON.parse(json) as { ciphertext: string; iv: string; tag: string };
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(o.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(o.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(o.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

describe('the right-click menu’s requests', () => {
  let vault: Vault;
  let handlers: Handlers;
  const jobs = new Map<string, SelectionJob>();
  const replaced: string[] = [];
  const copied: string[] = [];
  let n = 0;
  const job = (action: SelectionJob['action'], text: string, extra: Partial<SelectionJob> = {}) => {
    const j: SelectionJob = { id: `job-${++n}`, action, origin: 'https://mail.example', secure: true, text, editable: true, ...extra };
    jobs.set(j.id, j);
    return j.id;
  };
  async function ask<T extends RequestType>(type: T, data: DataOf<T>) {
    const reply = await dispatch(handlers, type, data, 'extension-page');
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code, field: reply.error.field });
    return reply.value;
  }

  beforeAll(async () => {
    vault = await openVault({ indexedDB: new IDBFactory() });
    const noop = async () => {};
    handlers = createHandlers(vault, {
      unlocked: noop,
      locked: noop,
      settingsChanged: noop,
      sync: { engine: new SyncEngine({ vault, credentials: memorySessionStore() }), changed: () => {} },
      copyToClipboard: async (text) => void copied.push(text),
      page: { origin: async () => null, fill: async () => ({ filled: true }) },
      selection: {
        job: async (id) => jobs.get(id),
        save: async (job) => void jobs.set(job.id, job),
        replace: async (_job, text) => {
          replaced.push(text);
          return true;
        },
        finish: async (j) => void jobs.delete(j.id),
      },
    });
    await vault.setup('correct horse battery staple');
    await vault.create({
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [
        { key: 'MAIL_KEY', value: KEY_HEX, encryptionKey: true },
        { key: 'OTHER_KEY', value: OTHER_KEY_HEX, encryptionKey: true },
        { key: 'DEPLOY_TOKEN', value: 'dt-123', autofill: [{ origin: 'https://ci.example', subdomains: false }] },
        { key: 'HEX_API_TOKEN', value: randomBytes(32).toString('hex') },
      ],
    });
    await vault.create({ safeName: 'Personal', envName: 'Production', keyValuePairs: [{ key: 'PROD_DB', value: 'prod-pw' }] });
  });

  it('encrypts an editable selection in place with a vault key, as Toolkit JSON that Node’s crypto opens', async () => {
    const view = await ask('selection.view', { jobId: job('encrypt', 'x'.repeat(500)) });
    expect(view.keys.map((k) => k.key)).toEqual(['MAIL_KEY', 'OTHER_KEY']);
    expect(view).toMatchObject({ length: 500, preview: 'x'.repeat(300) });
    const keys = view.keys;
    const id = job('encrypt', 'meet at noon, bring the 🔑');
    expect(await ask('selection.encrypt', { jobId: id, keyId: keys[0]!.id })).toEqual({ done: 'replaced' });
    const json = replaced.at(-1)!;
    expect(json).not.toContain('\n');
    expect(nodeDecrypt(json, Buffer.from(KEY_HEX, 'hex'))).toBe('meet at noon, bring the 🔑');
    // Done: the job and its text are forgotten.
    await expect(ask('selection.encrypt', { jobId: id, keyId: keys[0]!.id })).rejects.toThrow(/expired/);
  });

  it('copies instead when the selection is not editable, and encrypts with a password by PBKDF2', async () => {
    const out = await ask('selection.encrypt', { jobId: job('encrypt', 'plain words', { editable: false }), password: 'pw-for-bob' });
    expect(out).toMatchObject({ done: 'copied' });
    const o = JSON.parse(copied.at(-1)!) as { salt: string; iterations: number };
    const key = pbkdf2Sync('pw-for-bob', Buffer.from(o.salt, 'base64'), o.iterations, 32, 'sha256');
    expect(nodeDecrypt(copied.at(-1)!, key)).toBe('plain words');
  });

  it('refuses an empty selection and a secret that is not a key, in words', async () => {
    await expect(ask('selection.encrypt', { jobId: job('encrypt', '   '), password: 'x' })).rejects.toThrow(/Nothing is selected/);
    // A hex token the user never marked as a key is not used as one, whoever names it.
    const token = (await vault.search('HEX_API_TOKEN')).hits[0]!;
    await expect(ask('selection.encrypt', { jobId: job('encrypt', 'x'), keyId: token.id })).rejects.toThrow(
      /not marked as an encryption key/,
    );
    // A job is for the action it was made for.
    await expect(ask('selection.decrypt', { jobId: job('encrypt', '{}') })).rejects.toThrow(/expired/);
    await expect(ask('selection.view', { jobId: 'no-such-job' })).rejects.toThrow(/expired/);
  });

  it('decrypts with whichever vault key opens it, through line breaks, and writes nothing until Replace', async () => {
    const id = job('encrypt', 'the launch code');
    await ask('selection.encrypt', { jobId: id, keyId: (await vault.search('OTHER_KEY')).hits[0]!.id });
    const json = replaced.at(-1)!;
    const wrapped = `Forwarded:\n  ${json.slice(0, 40)}\n  ${json.slice(40, 70)}\r\n\t${json.slice(70)}\n-- \nBob`;
    const before = replaced.length;
    const d = job('decrypt', wrapped);
    expect(await ask('selection.decrypt', { jobId: d })).toEqual({ plaintext: 'the launch code', editable: true });
    expect(replaced).toHaveLength(before);
    expect(await ask('selection.replace', { jobId: d })).toEqual({ done: 'replaced' });
    expect(replaced.at(-1)).toBe('the launch code');
  });

  it('says what is wrong: not a ciphertext, no key opens it, a password needed, a wrong password', async () => {
    await expect(ask('selection.decrypt', { jobId: job('decrypt', 'hello {not json}') })).rejects.toThrow(
      /no Keysmith or Toolkit ciphertext/,
    );
    const foreign = await import('../../lib/toolkit').then((tk) => tk.encrypt({ plaintext: 's', key: randomBytes(32).toString('hex') }));
    await expect(ask('selection.decrypt', { jobId: job('decrypt', JSON.stringify(foreign)) })).rejects.toThrow(
      /None of your encryption keys opens it/,
    );
    const withPassword = await import('../../lib/toolkit').then((tk) => tk.encrypt({ plaintext: 'pw text', password: 'right' }));
    const p = job('decrypt', JSON.stringify(withPassword));
    await expect(ask('selection.decrypt', { jobId: p })).rejects.toMatchObject({
      field: 'password',
      message: expect.stringMatching(/encrypted with a password/),
    });
    await expect(ask('selection.decrypt', { jobId: p, password: 'wrong' })).rejects.toMatchObject({
      field: 'password',
      message: expect.stringMatching(/Wrong password/),
    });
    expect(await ask('selection.decrypt', { jobId: p, password: 'right' })).toMatchObject({ plaintext: 'pw text' });
    expect(findToolkitJson('{"ciphertext": "a", "iv": 1}')).toBeUndefined();
  });

  it('inserts a secret at the caret, asking first for Production and for a secret meant for other websites', async () => {
    const prod = (await vault.search('PROD_DB')).hits[0]!;
    const deploy = (await vault.search('DEPLOY_TOKEN')).hits[0]!;
    const i = job('insert', '');
    const asked = await ask('selection.insert', { jobId: i, secretId: prod.id });
    expect(asked).toEqual({ done: 'confirm', confirm: [{ kind: 'protected', envName: 'Production' }] });
    const other = await ask('selection.insert', { jobId: i, secretId: deploy.id });
    expect(other).toEqual({ done: 'confirm', confirm: [{ kind: 'other-site', origin: 'https://mail.example' }] });
    const before = replaced.length;
    expect(replaced).toHaveLength(before);
    expect(
      await ask('selection.insert', { jobId: i, secretId: deploy.id, confirmed: [{ kind: 'other-site', origin: 'https://mail.example' }] }),
    ).toEqual({ done: 'replaced' });
    expect(replaced.at(-1)).toBe('dt-123');
  });

  it('keeps an encryption key a key: a value that is not 64 hex is refused when marked, changed or created', async () => {
    await expect(
      vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: [{ key: 'K', value: 'short', encryptionKey: true }] }),
    ).rejects.toMatchObject({ field: 'keyValuePairs[0].value' });
    const mail = (await vault.search('MAIL_KEY')).hits[0]!;
    await expect(vault.update({ id: mail.id, safeName: 'Personal', envName: 'Development', value: 'not-hex' })).rejects.toMatchObject({
      field: 'value',
    });
    const deploy = (await vault.search('DEPLOY_TOKEN')).hits[0]!;
    await expect(vault.update({ id: deploy.id, safeName: 'Personal', envName: 'Development', encryptionKey: true })).rejects.toMatchObject({
      field: 'encryptionKey',
    });
    expect((await vault.encryptionKeys()).map((k) => k.key)).toEqual(['MAIL_KEY', 'OTHER_KEY']);
    await vault.update({ id: mail.id, safeName: 'Personal', envName: 'Development', encryptionKey: false });
    expect((await vault.encryptionKeys()).map((k) => k.key)).toEqual(['OTHER_KEY']);
  });
});
