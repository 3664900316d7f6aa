import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { backupFileName, dotenvFileName } from '../../../components/options/file-names';
import { keysInSeveralPaths, mergePaths, pathsOf } from '../../../components/options/merge-dotenv';
import { errorsByField } from '../../../components/ui/field-errors';
import { CryptoError } from '../../../lib/crypto/errors';
import { RemoteError } from '../../../lib/messages/reply';
import { parseDotenv } from '../../../lib/vault/dotenv';
import type { SecretSummary } from '../../../lib/vault/types';

const item = (key: string, path: string): SecretSummary => ({ id: `${path}${key}`, key, path, tags: [], comment: '', overridden: false, hasOverride: false });

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
  it('puts a message beside the field named by the error, else by its code, else the form', () => {
    const where = { fields: { secretPath: 'path' }, codes: { duplicate: 'onConflict' } };
    expect(errorsByField(new RemoteError({ code: 'invalid_input', message: 'Bad path', field: 'secretPath' }), where)).toEqual({ path: 'Bad path' });
    expect(errorsByField(new RemoteError({ code: 'duplicate', message: 'Exists' }), where)).toEqual({ onConflict: 'Exists' });
    expect(errorsByField(new RemoteError({ code: 'locked', message: 'Locked' }), where)).toEqual({ form: 'Locked' });
    expect(errorsByField(new Error('boom'))).toEqual({ form: 'Something went wrong: boom' });
  });

  it('finds the control of one item in a list by the last name of the path the vault reports', () => {
    const where = { fields: { key: 'key', keyValuePairs: 'key' } };
    const bad = new RemoteError({ code: 'invalid_input', message: 'No spaces around a key', field: 'keyValuePairs[0].key' });
    expect(errorsByField(bad, where)).toEqual({ key: 'No spaces around a key' });
    expect(errorsByField(new RemoteError({ code: 'invalid_input', message: 'Give one', field: 'keyValuePairs' }), where)).toEqual({ key: 'Give one' });
  });

  it('places errors thrown on the page (the tools) the same way as the background\'s', () => {
    const error = new CryptoError('invalid_input', 'Key must be 64 hex characters', 'key');
    expect(errorsByField(error, { fields: { key: 'secret' } })).toEqual({ secret: 'Key must be 64 hex characters' });
    expect(errorsByField(error)).toEqual({ form: 'Key must be 64 hex characters' });
  });
});
