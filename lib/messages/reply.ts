/**
 * Replies are `{ok: true, value}` or `{ok: false, error}`: plain data, so a typed error
 * (code, message, text, field, retryAfterMs) survives structured cloning to the page, which shows
 * `text` in the reader's language.
 */
import { english, msg, type Text } from '../i18n';

export interface ErrorInfo {
  code: string;
  /** English, for logs and tools. */
  message: string;
  /** What the page shows, in the reader's language. */
  text: Text;
  field?: string;
  retryAfterMs?: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Our errors keep their code, message, field and delay; anything else loses its internals (no stack to the page). */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && 'text' in error) {
    const info: ErrorInfo = { code: error.code, message: error.message, text: error.text as Text };
    const extra = error as { field?: unknown; retryAfterMs?: unknown };
    if (typeof extra.field === 'string') info.field = extra.field;
    if (typeof extra.retryAfterMs === 'number') info.retryAfterMs = extra.retryAfterMs;
    return info;
  }
  return errorInfo('internal', msg('errInternal'));
}

export function errorInfo(code: string, text: Text): ErrorInfo {
  return { code, message: english(text), text };
}

/** A failed reply, rethrown on the page side with its code intact. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  readonly code: string;
  readonly text: Text;
  readonly field?: string;
  readonly retryAfterMs?: number;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
    this.text = info.text;
    if (info.field !== undefined) this.field = info.field;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
  }
}
