import { CryptoError } from '../crypto/errors';
import { toPem } from '../crypto/pem';
import { pkcs8ToPkcs1, pkcs8ToSec1 } from '../crypto/private-key-formats';
import {
  EC_CURVES,
  RSA_KEY_SIZES,
  type EcCurve,
  type GenerateKeypairRequest,
  type GenerateKeypairResponse,
  type RsaKeySize,
} from './types';
import { isAbsent, oneOf, rejectPresent, requireObject } from './validate';
import { msg } from '../i18n';

const RSA_PUBLIC_EXPONENT = new Uint8Array([1, 0, 1]); // 65537

/** Toolkit `generate-keypair`: an RSA or EC key pair as PEM. */
export async function generateKeypair(request: GenerateKeypairRequest): Promise<GenerateKeypairResponse> {
  const fields = requireObject(request);
  const algorithm = oneOf(typeof fields.algorithm === 'string' ? fields.algorithm.toUpperCase() : fields.algorithm, 'algorithm', [
    'RSA',
    'EC',
  ] as const);
  const pkcs8 = isAbsent(fields.format) ? false : oneOf(fields.format, 'format', ['pkcs8'] as const) === 'pkcs8';

  if (algorithm === 'RSA') {
    rejectPresent(fields.curve, 'curve', 'errCurveOnlyEc');
    const keySize = isAbsent(fields.key_size) ? 4096 : oneOf(fields.key_size, 'key_size', RSA_KEY_SIZES);
    return generateRsa(keySize, pkcs8);
  }
  rejectPresent(fields.key_size, 'key_size', 'errKeySizeOnlyRsa');
  const curve = isAbsent(fields.curve) ? 'P-256' : oneOf(fields.curve, 'curve', EC_CURVES);
  return generateEc(curve, pkcs8);
}

async function generateRsa(keySize: RsaKeySize, pkcs8: boolean): Promise<GenerateKeypairResponse> {
  // The algorithm (RSASSA-PKCS1-v1_5) only labels the CryptoKey; the exported key material is plain RSA.
  const pair = await generate({ name: 'RSASSA-PKCS1-v1_5', modulusLength: keySize, publicExponent: RSA_PUBLIC_EXPONENT, hash: 'SHA-256' });
  const [spki, privateDer] = await Promise.all([
    crypto.subtle.exportKey('spki', pair.publicKey),
    crypto.subtle.exportKey('pkcs8', pair.privateKey),
  ]);
  return {
    public_key: toPem('PUBLIC KEY', new Uint8Array(spki)),
    private_key: pkcs8 ? toPem('PRIVATE KEY', new Uint8Array(privateDer)) : toPem('RSA PRIVATE KEY', pkcs8ToPkcs1(privateDer)),
    algorithm: 'RSA',
    key_size: keySize,
    curve: null,
  };
}

async function generateEc(curve: EcCurve, pkcs8: boolean): Promise<GenerateKeypairResponse> {
  const pair = await generate({ name: 'ECDSA', namedCurve: curve });
  const [spki, raw, privateDer] = await Promise.all([
    crypto.subtle.exportKey('spki', pair.publicKey),
    crypto.subtle.exportKey('raw', pair.publicKey),
    crypto.subtle.exportKey('pkcs8', pair.privateKey),
  ]);
  return {
    public_key: toPem('PUBLIC KEY', new Uint8Array(spki)),
    private_key: pkcs8 ? toPem('PRIVATE KEY', new Uint8Array(privateDer)) : toPem('EC PRIVATE KEY', pkcs8ToSec1(privateDer, curve, raw)),
    algorithm: 'EC',
    key_size: null,
    curve,
  };
}

async function generate(params: RsaHashedKeyGenParams | EcKeyGenParams): Promise<CryptoKeyPair> {
  try {
    return await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
  } catch (error) {
    throw new CryptoError('unsupported', msg('errKeypairUnsupported', (error as Error).name));
  }
}
