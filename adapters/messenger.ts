import { defineExtensionMessaging } from '@webext-core/messaging';
import type { DataOf, RequestType, ValueOf } from '../lib/messages/protocol';
import { RemoteError, type Reply } from '../lib/messages/reply';

/** lib/messages/protocol.ts as a wire protocol: every request answers with a Reply. */
export type WireProtocol = { [T in RequestType]: (data: DataOf<T>) => Reply<ValueOf<T>> };

export const messenger = defineExtensionMessaging<WireProtocol>();

/** Sends a request to the background; a failed reply is thrown as RemoteError with its code. */
export async function call<T extends RequestType>(type: T, ...args: DataOf<T> extends undefined ? [] : [DataOf<T>]): Promise<ValueOf<T>> {
  const send = messenger.sendMessage as (type: T, data: DataOf<T>) => Promise<Reply<ValueOf<T>>>;
  const reply = await send(type, args[0] as DataOf<T>);
  if (!reply.ok) throw new RemoteError(reply.error);
  return reply.value;
}
