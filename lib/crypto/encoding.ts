import { invalidInput } from './errors';

const HEX_RE = /^[0-9a-fA-F]*$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Strict UTF-8: invalid byte sequences are an error, never U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string, field = 'key'): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0 || !HEX_RE.test(hex)) {
    throw invalidInput(field, 'errNotHex', field);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Each ASCII code's 6-bit value in the standard alphabet, -1 for any other character. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
const valueAt = (text: string, i: number) => {
  const code = text.charCodeAt(i);
  return code < 128 ? BASE64_VALUE[code]! : -1;
};

/**
 * Strict standard base64 (RFC 4648 §4) to bytes: its alphabet only (no whitespace, no URL-safe
 * letters), up to two `=` at the end, padding optional, never a length that leaves one character
 * over; bits past the last whole byte are ignored, as `atob` does. One pass straight into the bytes
 * (no regular expression, no `atob` string): a new device's first pull decodes every ciphertext of
 * the vault here (docs/architecture.md, "Sync").
 */
export function fromBase64(text: string, field: string): Uint8Array<ArrayBuffer> {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  const rest = end % 4;
  if (rest === 1) throw invalidInput(field, 'errNotBase64', field);
  const whole = end - rest;
  const out = new Uint8Array((whole / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = valueAt(text, i);
    const b = valueAt(text, i + 1);
    const c = valueAt(text, i + 2);
    const d = valueAt(text, i + 3);
    if ((a | b | c | d) < 0) throw invalidInput(field, 'errNotBase64', field);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest > 0) {
    const a = valueAt(text, whole);
    const b = valueAt(text, whole + 1);
    const c = rest === 3 ? valueAt(text, whole + 2) : 0;
    if ((a | b | c) < 0) throw invalidInput(field, 'errNotBase64', field);
    out[o++] = (a << 2) | (b >> 4);
    if (rest === 3) out[o] = ((b & 0xf) << 4) | (c >> 2);
  }
  return out;
}
