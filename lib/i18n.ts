/**
 * The extension's words live in public/_locales/<lang>/messages.json, the format browsers read
 * (https://developer.chrome.com/docs/extensions/how-to/ui/localization-message-formats). Pages show
 * them with `browser.i18n.getMessage` in the browser's language. lib/ runs in Node too, so it never
 * calls the browser: an error carries its message as data (`Text`: a key and its substitutions),
 * which the page renders in the reader's language, and its `message` is the English text, for
 * logs, the server and tests.
 */
import en from '../public/_locales/en/messages.json' with { type: 'json' };

export type MessageKey = keyof typeof en;

export interface LocaleEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

/**
 * A message as data: rendered later, in whatever language the reader's browser uses. A parameter
 * may itself be a message (a unit, a kind of thing), rendered in the same language.
 */
export interface Text {
  key: MessageKey;
  params: (string | Text)[];
}

export function msg(key: MessageKey, ...params: (string | number | Text)[]): Text {
  return { key, params: params.map((p) => (typeof p === 'number' ? String(p) : p)) };
}

/**
 * What `browser.i18n.getMessage` returns for `entry`: named placeholders (`$NAME$`, any case) are
 * replaced by their content, then `$1`…`$9` by the substitutions, and `$$` by `$`.
 */
export function formatMessage(entry: LocaleEntry, params: readonly string[] = []): string {
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => placeholders[name.toLowerCase()] ?? whole);
  return named.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (params[Number(which) - 1] ?? '')));
}

/** The English text of a message (errors' `message`, and what Node prints). */
export function english(message: Text): string {
  return formatMessage(
    en[message.key],
    message.params.map((p) => (typeof p === 'string' ? p : english(p))),
  );
}
