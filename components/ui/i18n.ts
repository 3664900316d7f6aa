import type { MessageKey, Text } from '../../lib/i18n';

/**
 * The page's words, from public/_locales in the browser's language (English where a language is
 * missing). Every string a user reads goes through here; tests/unit/i18n.test.ts keeps it so.
 */
export function t(key: MessageKey, ...params: (string | number)[]): string {
  return browser.i18n.getMessage(key, params.map(String));
}

/** A message that came as data (an error from lib/ or the background), in the page's language. */
export function render(text: Text): string {
  return t(text.key, ...text.params.map((p) => (typeof p === 'string' ? p : render(p))));
}

/**
 * `one` or `other` by the browser's language rules (French counts 0 and 1 as one), with the count
 * as the message's first substitution (and `more` after it).
 */
export function plural(count: number, one: MessageKey, other: MessageKey, ...more: string[]): string {
  return t(new Intl.PluralRules(uiLanguage()).select(count) === 'one' ? one : other, count, ...more);
}

/** The browser's language, for Intl formatting (numbers, dates) that matches the words around it. */
export function uiLanguage(): string {
  return browser.i18n.getUILanguage();
}
