import { describe, expect, it } from 'vitest';
import { buildSearchIndex, searchRows } from '../../lib/secret-search';
import type { DamagedItem, SecretSummary } from '../../lib/vault/types';

const item = (id: string, key: string, path: string, tags: string[] = []): SecretSummary => ({
  id, key, path, tags, comment: '', overridden: false, hasOverride: false,
});
const LIST: (SecretSummary | DamagedItem)[] = [
  item('1', 'STRIPE_KEY', '/api', ['billing']),
  item('2', 'DB_PASSWORD', '/'),
  item('3', 'DB_HOST', '/'),
  item('4', 'SENTRY_DSN', '/api/monitoring', ['ops']),
  { id: '5', error: 'This secret could not be decrypted (damaged or tampered)' },
];
const keys = (query: string) =>
  searchRows(buildSearchIndex(LIST), query).map((r) => (r.kind === 'path' ? `[${r.path}]` : r.kind === 'secret' ? r.item.key : `!${r.id}`));

describe('searchRows', () => {
  it('groups everything under its path, in path then key order, damaged last', () => {
    expect(keys('')).toEqual(['[/]', 'DB_HOST', 'DB_PASSWORD', '[/api]', 'STRIPE_KEY', '[/api/monitoring]', 'SENTRY_DSN', '!5']);
  });

  it('matches key names, paths and tags, case-insensitively', () => {
    expect(keys('db_')).toEqual(['[/]', 'DB_HOST', 'DB_PASSWORD']);
    expect(keys('monitoring')).toEqual(['[/api/monitoring]', 'SENTRY_DSN']);
    expect(keys('BILLING')).toEqual(['[/api]', 'STRIPE_KEY']);
  });

  it('requires every word to match', () => {
    expect(keys('api ops')).toEqual(['[/api/monitoring]', 'SENTRY_DSN']);
    expect(keys('db nothing')).toEqual([]);
  });
});
