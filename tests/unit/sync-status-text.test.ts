// The sync line's words for what a user most needs to know: when the next try is after a failure,
// and that a change in conflict waits for the user's choice instead of going by itself.
import { beforeEach, describe, expect, it } from 'vitest';
import { syncStatusLines } from '../../components/sync/status-text';
import type { SyncStatus } from '../../lib/sync/engine';
import { speakEnglish } from './english-browser';

const NOW = Date.UTC(2026, 0, 1, 12);
const base: SyncStatus = { linked: true, waiting: 0, conflicts: 0, refused: 0, damaged: 0, lastSyncedAt: NOW - 60_000 };

describe('sync status words', () => {
  beforeEach(speakEnglish);

  it('says when the next try is while the server is unreachable, counted down, and nothing once it is due', () => {
    const down: SyncStatus = { ...base, waiting: 2, lastError: { code: 'unreachable', message: '', at: NOW }, retryAt: NOW + 11_200 };
    expect(syncStatusLines(down, NOW).join(' · ')).toBe('Server unreachable — 2 changes will be sent when it is back · next try in 12 s');
    expect(syncStatusLines(down, NOW + 9_000)).toContain('next try in 3 s');
    expect(syncStatusLines({ ...down, retryAt: NOW + 4 * 60_000 }, NOW)).toContain('next try in 4 min');
    expect(syncStatusLines(down, NOW + 11_200).join(' · ')).toBe('Server unreachable — 2 changes will be sent when it is back');
  });

  it('says a change held by a conflict waits for the user, and does not count it as waiting to be sent', () => {
    const held: SyncStatus = { ...base, waiting: 1, conflicts: 1, held: 1 };
    expect(syncStatusLines(held, NOW).slice(1)).toEqual([
      '1 secret changed here and on another device waits for your choice',
      '1 change made here waits for your choice',
    ]);
    const more: SyncStatus = { ...base, waiting: 3, conflicts: 1, held: 1 };
    expect(syncStatusLines(more, NOW).slice(1)).toEqual([
      '2 changes waiting to be sent',
      '1 secret changed here and on another device waits for your choice',
      '1 change made here waits for your choice',
    ]);
    // A device that learned of the conflict from another holds no change of its own: the choice still waits.
    expect(syncStatusLines({ ...base, conflicts: 2 }, NOW).slice(1)).toEqual([
      '2 secrets changed here and on another device wait for your choice',
    ]);
  });

  it("names what a safe's manifest found, by safe and environment, in the user's words", () => {
    const safe = '11111111-1111-4111-8111-111111111111';
    const prod = '22222222-2222-4222-8222-222222222222';
    const status: SyncStatus = {
      ...base,
      manifest: [
        { finding: 'withheld', safeId: safe, envId: prod, kind: 'secret', count: 3 },
        { finding: 'stale', safeId: safe, envId: prod, kind: 'secret', count: 1 },
        { finding: 'resurrected', safeId: safe, envId: prod, kind: 'secret', count: 2 },
        { finding: 'withheld', safeId: safe, envId: 'gone', kind: 'environment', count: 1 },
      ],
    };
    const names = new Map([[safe, { name: 'Payments', environments: new Map([[prod, 'Production']]) }]]);
    expect(syncStatusLines(status, NOW, names).slice(1)).toEqual([
      'The server is withholding 3 secrets of Payments › Production',
      'The server sent 1 secret of Payments › Production at an older version than this account wrote',
      'The server brought back 2 deleted secrets of Payments › Production',
      'The server is withholding or rolling back 1 environment of Payments',
    ]);
  });
});
