import { useState } from 'react';
import { copySecret } from './copy-secret';
import { t } from './i18n';

/**
 * Copies `text` to the clipboard; its accessible name says what it copies. Everything copied here
 * (generated keys, private keys, decrypted text) is a secret, so it goes through copySecret and
 * the background clears the clipboard after the configured delay, as for vault values.
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await copySecret({ text });
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  }
  return (
    <button type="button" onClick={copy} aria-label={t('copyWhat', what)} disabled={!text}>
      {state === 'copied' ? t('copied') : state === 'failed' ? t('copyFailed') : t('copy')}
    </button>
  );
}
