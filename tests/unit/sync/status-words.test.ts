import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { syncStatusLines } from '../../../components/sync/status-text';
import type { SyncStatus } from '../../../lib/sync/engine';
import { speakEnglish } from '../english-browser';

const PHISH = 'Your account is suspended: call +1 555 0100';
const status = (lastError: SyncStatus['lastError']): SyncStatus => ({
  linked: true,
  waiting: 0,
  conflicts: 0,
  refused: 0,
  damaged: 0,
  ...(lastError ? { lastError } : {}),
});

// Words inside Keysmith's pages are trusted: a server's text there would be phishing with Keysmith's voice.
describe('the sync status line', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    speakEnglish();
  });

  it("shows a server's refusal in fixed words with its HTTP status, never the server's text", () => {
    const lines = syncStatusLines(status({ code: 'server_refused', message: PHISH, at: 0, status: 403 }));
    expect(lines).toEqual(['The server refused the request (HTTP 403)']);
  });

  it('names an answer that is not the API (too large, endless, malformed) without echoing it', () => {
    const lines = syncStatusLines(status({ code: 'bad_answer', message: PHISH, at: 0 }));
    expect(lines.join(' ')).toContain('does not accept');
    expect(lines.join(' ')).not.toContain('+1 555');
  });
});
