import type { DataOf, RequestType, ValueOf } from './protocol';
import { msg } from '../i18n';
import { errorInfo, toErrorInfo, type Reply } from './reply';
import { ALLOWED_SENDERS, type SenderKind } from './senders';

export type Handlers = { [T in RequestType]: (data: DataOf<T>) => Promise<ValueOf<T>> };

/** Runs one request: checks the sender against ALLOWED_SENDERS, then the handler; any error becomes plain data. */
export async function dispatch<T extends RequestType>(
  handlers: Handlers,
  type: T,
  data: DataOf<T>,
  senderKind: SenderKind,
): Promise<Reply<ValueOf<T>>> {
  const allowed = ALLOWED_SENDERS[type];
  if (!allowed) return { ok: false, error: errorInfo('unknown_request', msg('errUnknownRequest', String(type))) };
  if (!allowed.includes(senderKind)) {
    return { ok: false, error: errorInfo('forbidden', msg('errForbidden', String(type), senderKind)) };
  }
  try {
    return { ok: true, value: await handlers[type](data) };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
