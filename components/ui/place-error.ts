import { RemoteError } from '../../lib/messages/reply';
import { errorMessage } from './errors';

export type FormErrors = Partial<Record<string, string>>;

/**
 * Puts a failed request's message beside the control that caused it: first by the error's
 * `field` (the background's option name), then by its `code`, else under `fallback`.
 */
export function placeError(
  error: unknown,
  where: { fields?: Record<string, string>; codes?: Record<string, string>; fallback?: string } = {},
): FormErrors {
  const message = errorMessage(error);
  const fallback = where.fallback ?? 'form';
  if (error instanceof RemoteError) {
    const byField = error.field ? where.fields?.[error.field] : undefined;
    const byCode = where.codes?.[error.code];
    return { [byField ?? byCode ?? fallback]: message };
  }
  return { [fallback]: message };
}
