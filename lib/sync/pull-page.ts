// A pull page checked against the wire contract (wire.ts) with one fast path: a page of a first
// pull holds thousands of items, and zod (jitless, as the extension's CSP wants it) checking each
// one was a visible share of a new device's sign-in (docs/architecture.md, "Sync"). The fast check
// only ever *accepts*, and only an item it is sure zod accepts with the same output; anything else
// (a refusal included) is zod's to decide, so a page that does not fit is refused exactly as before.
import { regexes, z } from 'zod';
import { PullPage, WIRE_RULES, WireItem } from './wire';

/** The page without its items, which are checked one by one below. */
const Envelope = PullPage.extend({ items: z.array(z.unknown()) });
/** z.uuid()'s own pattern (any RFC 9562 version, nil and max). */
const UUID = regexes.uuid();

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The item as zod would output it, or undefined when this check is not sure (zod then decides). */
export function fitItem(value: unknown): WireItem | undefined {
  if (!isPlainObject(value)) return undefined;
  const { id, safe_id, kind, revision, deleted, ciphertext, updated_at } = value;
  if (typeof id !== 'string' || !WIRE_RULES.itemId.test(id)) return undefined;
  if (typeof safe_id !== 'string' || !UUID.test(safe_id)) return undefined;
  if (typeof kind !== 'string' || !WIRE_RULES.kind.test(kind)) return undefined;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return undefined;
  if (typeof deleted !== 'boolean') return undefined;
  if (typeof updated_at !== 'string' || updated_at.length > WIRE_RULES.maxUpdatedAt) return undefined;
  if (!isPlainObject(ciphertext)) return undefined;
  const fields: Record<string, string> = {};
  let count = 0;
  for (const name of Object.keys(ciphertext)) {
    const text = ciphertext[name];
    // `__proto__` is special to zod's record and to object literals alike: zod decides.
    if (name === '__proto__' || !WIRE_RULES.fieldName.test(name) || typeof text !== 'string') return undefined;
    fields[name] = text;
    count++;
  }
  if (count > WIRE_RULES.maxFields) return undefined;
  return { id, safe_id, kind, revision, deleted, ciphertext: fields, updated_at };
}

/** The page as `PullPage.safeParse` would give it, or undefined for a page it refuses. */
export function parsePullPage(json: unknown): PullPage | undefined {
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return undefined;
  const items: WireItem[] = [];
  for (const value of envelope.data.items) {
    const item = fitItem(value) ?? WireItem.safeParse(value).data;
    if (!item) return undefined;
    items.push(item);
  }
  return { ...envelope.data, items };
}
