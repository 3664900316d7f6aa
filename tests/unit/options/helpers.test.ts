import { parse } from 'dotenv';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backupFileName, dotenvFileName } from '../../../components/options/file-names';
import { keysInSeveralPaths, mergePaths, pathsOf } from '../../../components/options/merge-dotenv';
import { errorsByField } from '../../../components/ui/field-errors';
import { CryptoError } from '../../../lib/crypto/errors';
import { msg } from '../../../lib/i18n';
import { errorInfo, RemoteError } from '../../../lib/messages/reply';
import { speakEnglish } from '../english-browser';
import { parseDotenv } from '../../../lib/vault/dotenv';
import type { SecretSummary } from '../../../lib/vault/types';

const item = (key: string, path: string): SecretSummary => ({
  id: `${path}${key}`,
  key,
  path,
  tags: [],
  comment: '',
  overridden: false,
  hasOverride: false,
});

describe('file names', () => {
  it('names a .env export after its safe and environment, without path separators', () => {
    expect(dotenvFileName('Personal', 'Development')).toBe('Personal-Development.env');
    expect(dotenvFileName('../My safe/x', 'Prod ü')).toBe('_My_safe_x-Prod_.env');
    expect(dotenvFileName('  ', '...')).toBe('unnamed-unnamed.env');
  });

  it('dates a backup by the local calendar day', () => {
    expect(backupFileName(new Date(2024, 0, 5, 23, 59))).toBe('keysmith-backup-2024-01-05.json');
  });
});

describe('exporting every path', () => {
  const items = [item('B', '/api'), item('A', '/'), item('A', '/api'), { id: 'x', error: 'damaged' }];

  it('lists paths root first and finds keys that one file cannot hold twice', () => {
    expect(pathsOf(items)).toEqual(['/', '/api']);
    expect(keysInSeveralPaths(items)).toEqual(['A']);
  });

  it('keeps path headings out of the secrets when read back', () => {
    const text = mergePaths([
      { path: '/', text: '# about A\nA=1\n' },
      { path: '/empty', text: '' },
      { path: '/api', text: 'B=2\n' },
    ]);
    expect(parse(text)).toEqual({ A: '1', B: '2' });
    expect(parseDotenv(text)).toEqual([
      { key: 'A', value: '1', comment: 'about A' },
      { key: 'B', value: '2' },
    ]);
    expect(mergePaths([{ path: '/', text: 'A=1\n' }])).toBe('A=1\n');
  });
});

describe('errorsByField', () => {
  beforeEach(speakEnglish);
  const remote = (code: string, field?: string) =>
    new RemoteError({ ...errorInfo(code, msg('errPathSlash', 'api')), ...(field ? { field } : {}) });

  it('puts a message beside the field named by the error, else by its code, else the form', () => {
    const where = { fields: { secretPath: 'path' }, codes: { duplicate: 'onConflict' } };
    const text = 'Path must start with / (for example /api)';
    expect(errorsByField(remote('invalid_input', 'secretPath'), where)).toEqual({ path: text });
    expect(errorsByField(remote('duplicate'), where)).toEqual({ onConflict: text });
    expect(errorsByField(remote('locked'), where)).toEqual({ form: text });
    expect(errorsByField(new Error('boom'))).toEqual({ form: 'Something went wrong: boom' });
  });

  it('finds the control of one item in a list by the last name of the path the vault reports', () => {
    const where = { fields: { key: 'key', keyValuePairs: 'key' } };
    expect(errorsByField(remote('invalid_input', 'keyValuePairs[0].key'), where)).toHaveProperty('key');
    expect(errorsByField(remote('invalid_input', 'keyValuePairs'), where)).toHaveProperty('key');
  });

  it("places errors thrown on the page (the tools) the same way as the background's", () => {
    const error = new CryptoError('invalid_input', msg('errKeyLength', 12), 'key');
    const text = 'Key must be 64 hex characters (32 bytes); this one has 12 characters';
    expect(errorsByField(error, { fields: { key: 'secret' } })).toEqual({ secret: text });
    expect(errorsByField(error)).toEqual({ form: text });
  });

  it("shows a message from the background in the page's language, not the English it carries", () => {
    Object.assign(fakeBrowser.i18n, { getMessage: (key: string, subs: string[]) => `fr:${key}:${subs.join('|')}` });
    expect(errorsByField(remote('invalid_input', 'secretPath'), { fields: { secretPath: 'path' } })).toEqual({
      path: 'fr:errPathSlash:api',
    });
  });
});
