import { isCryptoError } from '../../lib/crypto/errors';

export type FieldErrors = Record<string, string>;

/**
 * Turns a thrown error into messages keyed by the form field that caused it.
 * Errors without a field (or unexpected ones) go under `form`, in plain words, never a stack.
 */
export function toFieldErrors(error: unknown, fieldMap: Record<string, string> = {}): FieldErrors {
  if (isCryptoError(error)) {
    const field = error.field ? (fieldMap[error.field] ?? error.field) : 'form';
    return { [field]: error.message };
  }
  return { form: errorMessage(error) };
}

/** A message a user can read for any thrown error: ours carry one; anything else gets a plain sentence. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && 'code' in error) return error.message;
  return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
}
