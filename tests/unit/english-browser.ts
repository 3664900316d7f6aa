import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json' with { type: 'json' };
import { formatMessage, type LocaleEntry } from '../../lib/i18n';

/**
 * WXT's fake browser has no i18n; pages under test get the browser's behaviour for an English
 * user: messages from public/_locales/en, an unknown key as ''.
 */
export function speakEnglish(): void {
  const messages = en as Record<string, LocaleEntry>;
  Object.assign(fakeBrowser, {
    i18n: {
      getMessage: (key: string, subs?: string | string[]) => {
        const entry = messages[key];
        return entry ? formatMessage(entry, typeof subs === 'string' ? [subs] : (subs ?? [])) : '';
      },
      getUILanguage: () => 'en',
    },
  });
}
