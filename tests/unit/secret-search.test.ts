import { describe, expect, it } from 'vitest';
import { browseRows, hitRows, type Row } from '../../lib/secret-search';
import type { DamagedItem, SearchHit, SecretSummary } from '../../lib/vault/types';

const item = (id: string, key: string, path: string, tags: string[] = []): SecretSummary => ({
  id,
  key,
  path,
  tags,
  comment: '',
  overridden: false,
  hasOverride: false,
});
const LIST: (SecretSummary | DamagedItem)[] = [
  item('1', 'STRIPE_KEY', '/api', ['billing']),
  item('2', 'DB_PASSWORD', '/'),
  item('3', 'DB_HOST', '/'),
  item('4', 'SENTRY_DSN', '/api/monitoring', ['ops']),
  { id: '5', error: 'This secret could not be decrypted (damaged or tampered)' },
];
const show = (rows: Row[]) =>
  rows.map((r) => (r.kind === 'heading' ? `[${r.text}${r.protected ? ' !' : ''}]` : r.kind === 'secret' ? r.item.key : `!${r.id}`));

describe('browseRows', () => {
  it('groups everything under its path, in path then key order, damaged last', () => {
    expect(show(browseRows(LIST))).toEqual([
      '[/]',
      'DB_HOST',
      'DB_PASSWORD',
      '[/api]',
      'STRIPE_KEY',
      '[/api/monitoring]',
      'SENTRY_DSN',
      '!5',
    ]);
  });
});

describe('hitRows', () => {
  const hit = (key: string, path: string, envId: string, envName: string, isProtected = false): SearchHit => ({
    ...item(`${envId}${key}`, key, path),
    safeId: 's1',
    safeName: 'Billing',
    envId,
    envName,
    protected: isProtected,
  });

  it('puts the environment on screen under its paths, and every other under its safe and environment, marking protected ones', () => {
    const hits = [
      hit('A', '/', 'dev', 'Development'),
      hit('B', '/api', 'dev', 'Development'),
      hit('A', '/', 'prod', 'Production', true),
      hit('C', '/x', 'prod', 'Production', true),
      hit('A', '/', 'stg', 'Staging'),
    ];
    const rows = hitRows({ hits, total: 5 }, 'dev');
    expect(show(rows)).toEqual(['[/]', 'A', '[/api]', 'B', '[Billing › Production !]', 'A', 'C', '[Billing › Staging]', 'A']);
    // A hit elsewhere keeps where it lives, for its label and to open it there.
    expect(rows.flatMap((r) => (r.kind === 'secret' && r.where ? [`${r.where.envName}:${r.item.path}`] : []))).toEqual([
      'Production:/',
      'Production:/x',
      'Staging:/',
    ]);
  });
});
