import type { Text } from '../../lib/i18n';
import { render, t } from './i18n';

/** Messages keyed by the form control they belong beside; `form` is for the form as a whole. */
export type FormErrors = Partial<Record<string, string>>;

export interface ErrorPlacement {
  /** The option name an error reports (lib/ or the background) → the control that shows it. */
  fields?: Record<string, string>;
  /** An error code → the control that shows it, for errors that name no field (wrong_password). */
  codes?: Record<string, string>;
  /** Where anything else goes. Default 'form'. */
  fallback?: string;
}

/** `{name: name}` for controls named as the option they edit. */
export function sameNames(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, name]));
}

/**
 * Puts an error's message beside the control that caused it: by its `field`, a path such as
 * `keyValuePairs[0].key` also by its last name (`key`); then by its `code`; else under `fallback`.
 * Works for errors thrown here (CryptoError, VaultError) and for a failed request (RemoteError),
 * which all carry `code` and maybe `field`.
 */
export function errorsByField(error: unknown, where: ErrorPlacement = {}): FormErrors {
  const message = errorMessage(error);
  const fallback = where.fallback ?? 'form';
  const { code, field } = (error ?? {}) as { code?: unknown; field?: unknown };
  if (!(error instanceof Error) || typeof code !== 'string') return { [fallback]: message };
  const byField = typeof field === 'string' ? (where.fields?.[field] ?? where.fields?.[lastName(field)]) : undefined;
  return { [byField ?? where.codes?.[code] ?? fallback]: message };
}

/** `keyValuePairs[0].key` → `key`. */
function lastName(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/**
 * A message a user can read, in their language, for any thrown error: ours carry their text;
 * anything else gets a plain sentence around what it says.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && 'text' in error && 'code' in error) return render(error.text as Text);
  return t('errUnexpected', error instanceof Error ? error.message : String(error));
}
