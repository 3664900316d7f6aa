import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { call } from '../../adapters/messenger';
import { readCurrentEnv } from '../../components/vault/current-env';
import { App } from './App';
import './style.css';
import { uiLanguage } from '../../components/ui/i18n';

// Ask the background for everything the first screen shows before React even starts, so the one
// round trip overlaps loading and rendering. A failure falls back to the ordinary requests.
// The marks let `npm run bench` split an opening into loading, the background's answer and rendering.
performance.mark('keysmith:open-asked');
const opening = call('vault.open', readCurrentEnv())
  .catch(() => null)
  .finally(() => performance.mark('keysmith:open-answered'));

document.documentElement.lang = uiLanguage();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App opening={opening} />
  </StrictMode>,
);
