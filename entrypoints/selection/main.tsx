import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SelectionApp } from '../../components/selection/SelectionApp';
import '../popup/style.css';
import { t, uiLanguage } from '../../components/ui/i18n';

// Keysmith's window for a right-click on a page: the job's id is the URL's fragment.
document.documentElement.lang = uiLanguage();
document.title = t('selectionTitle');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SelectionApp jobId={location.hash.slice(1)} />
  </StrictMode>,
);
