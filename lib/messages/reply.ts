/**
 * Replies are `{ok: true, value}` or `{ok: false, error}`: plain data, so a typed error
 * (code, message, field, retryAfterMs) survives structured cloning to the page.
 */

export interface ErrorInfo {
  code: string;
  message: string;
  field?: string;
  retryAfterMs?: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Our errors keep their code, message, field and delay; anything else loses its internals (no stack to the page). */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const info: ErrorInfo = { code: error.code, message: error.message };
    const extra = error as { field?: unknown; retryAfterMs?: unknown };
    if (typeof extra.field === 'string') info.field = extra.field;
    if (typeof extra.retryAfterMs === 'number') info.retryAfterMs = extra.retryAfterMs;
    return info;
  }
  return { code: 'internal', message: 'Something went wrong in Keysmith. Try again; if it persists, reload the extension.' };
}

/** A failed reply, rethrown on the page side with its code intact. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  readonly code: string;
  readonly field?: string;
  readonly retryAfterMs?: number;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
    if (info.field !== undefined) this.field = info.field;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
  }
}
