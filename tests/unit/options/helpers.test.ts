import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { backupFileName, dotenvFileName } from '../../../components/options/file-names';
import { keysInSeveralPaths, mergePaths, pathsOf } from '../../../components/options/merge-dotenv';
import { placeError } from '../../../components/ui/place-error';
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

describe('placeError', () => {
  it('puts a message beside the field named by the error, else by its code, else the form', () => {
    const where = { fields: { secretPath: 'path' }, codes: { duplicate: 'onConflict' } };
    expect(placeError(new RemoteError({ code: 'invalid_input', message: 'Bad path', field: 'secretPath' }), where)).toEqual({ path: 'Bad path' });
    expect(placeError(new RemoteError({ code: 'duplicate', message: 'Exists' }), where)).toEqual({ onConflict: 'Exists' });
    expect(placeError(new RemoteError({ code: 'locked', message: 'Locked' }), where)).toEqual({ form: 'Locked' });
    expect(placeError(new Error('boom'))).toEqual({ form: 'Something went wrong: boom' });
  });
});
