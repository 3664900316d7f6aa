import { useState } from 'react';
import { call } from '../../adapters/messenger';

/**
 * Copies `text` to the clipboard; its accessible name says what it copies. Everything copied here
 * (generated keys, private keys, decrypted text) is a secret, so the background clears the
 * clipboard after the configured delay, as for vault values.
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
      await call('clipboard.scheduleClear').catch(() => undefined); // clearing is best effort; the copy worked
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  }
  return (
    <button type="button" onClick={copy} aria-label={`Copy ${what}`} disabled={!text}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
