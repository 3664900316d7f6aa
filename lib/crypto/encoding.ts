import { invalidInput } from './errors';

const HEX_RE = /^[0-9a-fA-F]*$/;
// Standard base64 (RFC 4648 §4), padding optional; no whitespace, no URL-safe alphabet.
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

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

export function fromBase64(text: string, field: string): Uint8Array<ArrayBuffer> {
  const unpadded = text.replace(/=+$/, '');
  if (!BASE64_RE.test(text) || unpadded.length % 4 === 1) {
    throw invalidInput(field, 'errNotBase64', field);
  }
  const binary = atob(unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
