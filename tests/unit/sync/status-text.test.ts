import { beforeEach, describe, expect, it } from 'vitest';
import { syncStatusLines } from '../../../components/sync/status-text';
import type { SyncStatus } from '../../../lib/sync/engine';
import { speakEnglish } from '../english-browser';

const status = (lastError: SyncStatus['lastError'], waiting = 0) =>
  ({ linked: true, waiting, refused: 0, conflicts: 0, damaged: 0, lastError }) as unknown as SyncStatus;

describe('sync status words', () => {
  beforeEach(speakEnglish);

  it("says in words that the account's storage on the server is full", () => {
    const lines = syncStatusLines(
      status({ code: 'quota_exceeded', message: "This account's storage on the server is full (…)", at: Date.now() }, 4),
    );
    expect(lines[0]).toBe(
      "This account's storage on the server is full: the latest changes stay on this device. Delete some secrets, then delete them forever in Recently deleted, or ask the server's operator for more room.",
    );
    expect(lines).toContain('4 changes waiting to be sent');
  });
});
