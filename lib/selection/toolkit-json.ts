// The Toolkit's encrypt output as text in a page: written on one line, found again in a selection.
import type { DecryptRequest, EncryptResponse } from '../toolkit-ops/types';

/** One line of JSON: what the popup's Encrypt tab, the Toolkit API and Node's crypto all read. */
export function toToolkitJson(response: EncryptResponse): string {
  return JSON.stringify(response);
}

/**
 * The Toolkit JSON inside a selection, or undefined. The selection may carry text around it and
 * line breaks or spaces a page or a mail client put inside it; none of its values holds a space
 * (base64, hex, numbers, "AES-256-GCM"), so all white space is dropped before reading it.
 */
export function findToolkitJson(selection: string): DecryptRequest | undefined {
  const start = selection.indexOf('{');
  const end = selection.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(selection.slice(start, end + 1).replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const o = parsed as Record<string, unknown>;
  if (typeof o.ciphertext !== 'string' || typeof o.iv !== 'string' || typeof o.tag !== 'string') return undefined;
  const request: DecryptRequest = { ciphertext: o.ciphertext, iv: o.iv, tag: o.tag };
  if (typeof o.salt === 'string') request.salt = o.salt;
  if (typeof o.iterations === 'number') request.iterations = o.iterations;
  return request;
}
