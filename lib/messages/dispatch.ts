import type { DataOf, RequestType, ValueOf } from './protocol';
import { toErrorInfo, type Reply } from './reply';
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
  if (!allowed) return { ok: false, error: { code: 'unknown_request', message: `Unknown request ${String(type)}` } };
  if (!allowed.includes(senderKind)) {
    return { ok: false, error: { code: 'forbidden', message: `${String(type)} is not allowed from a ${senderKind} sender` } };
  }
  try {
    return { ok: true, value: await handlers[type](data) };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
