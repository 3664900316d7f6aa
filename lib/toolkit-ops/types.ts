/**
 * Request and response shapes of the Toolkit "Keys & Encryption" API, field for field
 * (snake_case as the Toolkit reference names them). Optional fields also accept null,
 * because JSON clients (the Python SDK among them) send `None` as null.
 */

export const KEY_TYPES = ['api-key', 'uuid-v4', 'nanoid', 'secret'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface GenerateKeyRequest {
  type: KeyType;
  prefix?: string | null;
  length?: number | null;
}
export interface GenerateKeyResponse {
  key: string;
  type: KeyType;
  entropy_bits: number;
}

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export const EC_CURVES = ['P-256', 'P-384', 'P-521'] as const;
export type RsaKeySize = (typeof RSA_KEY_SIZES)[number];
export type EcCurve = (typeof EC_CURVES)[number];

export interface GenerateKeypairRequest {
  algorithm: 'RSA' | 'EC';
  key_size?: number | null;
  curve?: string | null;
  /** Absent: PKCS#1 (RSA) or SEC1 (EC) private keys, as the Toolkit returns them. */
  format?: 'pkcs8' | null;
}
export interface GenerateKeypairResponse {
  public_key: string;
  private_key: string;
  algorithm: 'RSA' | 'EC';
  key_size: RsaKeySize | null;
  curve: EcCurve | null;
}

export interface EncryptRequest {
  plaintext: string;
  key?: string | null;
  password?: string | null;
}
export interface EncryptResponse {
  ciphertext: string;
  iv: string;
  tag: string;
  salt: string | null;
  algorithm: 'AES-256-GCM';
  /** Present only when a password was used. */
  iterations?: number;
}

export interface DecryptRequest {
  ciphertext: string;
  iv: string;
  tag: string;
  key?: string | null;
  password?: string | null;
  salt?: string | null;
  iterations?: number | null;
}
export interface DecryptResponse {
  plaintext: string;
  algorithm: 'AES-256-GCM';
}
