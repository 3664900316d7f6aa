import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import { syncStatusLines } from './status-text';

/** While `busy` (a first upload or download), the counts the background reports, in words; '' otherwise. */
export function useProgress(busy: boolean): string {
  const [progress, setProgress] = useState('');
  useEffect(() => {
    if (!busy) return setProgress('');
    const watch = setInterval(() => {
      void call('sync.status').then((s) => setProgress(s.progress ? syncStatusLines(s)[0]! : ''), () => undefined);
    }, 500);
    return () => clearInterval(watch);
  }, [busy]);
  return progress;
}
