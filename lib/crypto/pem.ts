import { toBase64 } from './encoding';

export type PemLabel = 'PUBLIC KEY' | 'PRIVATE KEY' | 'RSA PRIVATE KEY' | 'EC PRIVATE KEY';

/** RFC 7468 textual encoding: base64 in 64-character lines between BEGIN/END markers. */
export function toPem(label: PemLabel, der: Uint8Array): string {
  const body = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}
