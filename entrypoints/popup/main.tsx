// First: the opening request leaves before the rest of the page is evaluated (see opening.ts).
import { opening } from './opening';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { uiLanguage } from '../../components/ui/i18n';
import { App } from './App';
import './style.css';

document.documentElement.lang = uiLanguage();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App opening={opening} />
  </StrictMode>,
);
