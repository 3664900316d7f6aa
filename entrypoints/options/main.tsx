import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { OptionsApp } from '../../components/options/OptionsApp';
import '../popup/style.css';
import './style.css';
import { t, uiLanguage } from '../../components/ui/i18n';

document.documentElement.lang = uiLanguage();
document.title = t('optionsTitle');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <OptionsApp />
  </StrictMode>,
);
