import { ECParameters, ECPrivateKey, id_secp256r1, id_secp384r1, id_secp521r1 } from '@peculiar/asn1-ecc';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert } from '@peculiar/asn1-schema';

/**
 * WebCrypto exports private keys only as PKCS#8 (RFC 5208). The Toolkit returns the "traditional"
 * encodings OpenSSL calls PEM: PKCS#1 RSAPrivateKey (RFC 8017 A.1.2) and SEC1 ECPrivateKey
 * (RFC 5915). Both sit inside the PKCS#8 privateKey OCTET STRING; we re-encode with a maintained
 * ASN.1 library rather than slicing DER by hand.
 */

export const CURVE_OIDS = { 'P-256': id_secp256r1, 'P-384': id_secp384r1, 'P-521': id_secp521r1 } as const;
export type Curve = keyof typeof CURVE_OIDS;

function innerKey(pkcs8: ArrayBuffer): ArrayBuffer {
  return AsnConvert.parse(pkcs8, PrivateKeyInfo).privateKey.buffer;
}

/** PKCS#8 → PKCS#1: the inner OCTET STRING of an RSA key is already an RSAPrivateKey. */
export function pkcs8ToPkcs1(pkcs8: ArrayBuffer): Uint8Array {
  return new Uint8Array(innerKey(pkcs8));
}

/**
 * PKCS#8 → SEC1, always carrying the named curve and the public key so that
 * `openssl ec` and other tools can use the file on its own (RFC 5915 §3 recommends both).
 */
export function pkcs8ToSec1(pkcs8: ArrayBuffer, curve: Curve, rawPublicKey: ArrayBuffer): Uint8Array {
  const ecKey = AsnConvert.parse(innerKey(pkcs8), ECPrivateKey);
  ecKey.parameters = new ECParameters({ namedCurve: CURVE_OIDS[curve] });
  ecKey.publicKey ??= rawPublicKey;
  return new Uint8Array(AsnConvert.serialize(ecKey));
}
