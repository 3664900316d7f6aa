import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeypair, isCryptoError, type GenerateKeypairRequest } from '../../../lib/toolkit';

const dir = mkdtempSync(join(tmpdir(), 'keysmith-keypair-'));

function openssl(args: string[], pem: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, pem);
  return execFileSync('openssl', [...args, '-in', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A signature made with the private key verifies with the public key, both parsed by Node's own ASN.1 code. */
function signsAndVerifies(privatePem: string, publicPem: string) {
  const data = Buffer.from('keysmith cross-check');
  const signature = sign('sha256', data, createPrivateKey(privatePem));
  expect(verify('sha256', data, createPublicKey(publicPem), signature)).toBe(true);
  expect(verify('sha256', Buffer.from('other'), createPublicKey(publicPem), signature)).toBe(false);
}

describe('generateKeypair RSA', () => {
  it.each([2048, 3072])('makes %i-bit keys: SPKI public, PKCS#1 private, checked by openssl', async (size) => {
    const pair = await generateKeypair({ algorithm: 'RSA', key_size: size });
    expect(pair).toMatchObject({ algorithm: 'RSA', key_size: size, curve: null });
    expect(pair.public_key).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/,
    );
    expect(pair.private_key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    expect(openssl(['rsa', '-check', '-noout'], pair.private_key)).toContain('RSA key ok');
    expect(openssl(['rsa', '-noout', '-text'], pair.private_key)).toContain(`Private-Key: (${size} bit`);
    // The public key belongs to the private key: openssl derives the same SPKI.
    expect(openssl(['rsa', '-pubout'], pair.private_key)).toBe(pair.public_key);
    signsAndVerifies(pair.private_key, pair.public_key);
  });

  it('defaults to 4096 bits and can return PKCS#8', async () => {
    const pair = await generateKeypair({ algorithm: 'RSA', format: 'pkcs8' });
    expect(pair.key_size).toBe(4096);
    expect(pair.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(openssl(['pkey', '-noout', '-text'], pair.private_key)).toContain('Private-Key: (4096 bit');
    signsAndVerifies(pair.private_key, pair.public_key);
  });
});

describe('generateKeypair EC', () => {
  it.each([
    ['P-256', 'prime256v1'],
    ['P-384', 'secp384r1'],
    ['P-521', 'secp521r1'],
  ] as const)('makes %s keys: SEC1 private with curve and public key, checked by openssl', async (curve, opensslName) => {
    const pair = await generateKeypair({ algorithm: 'EC', curve });
    expect(pair).toMatchObject({ algorithm: 'EC', key_size: null, curve });
    expect(pair.private_key).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const text = openssl(['ec', '-check', '-noout', '-text'], pair.private_key);
    expect(text).toContain(`ASN1 OID: ${opensslName}`);
    expect(text).toContain('pub:');
    expect(openssl(['ec', '-pubout'], pair.private_key)).toBe(pair.public_key);
    signsAndVerifies(pair.private_key, pair.public_key);
  });

  it('defaults to P-256, accepts lower-case algorithm names, and can return PKCS#8', async () => {
    const pair = await generateKeypair({ algorithm: 'ec' as 'EC', format: 'pkcs8' });
    expect(pair.curve).toBe('P-256');
    expect(pair.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    signsAndVerifies(pair.private_key, pair.public_key);
  });
});

describe('generateKeypair bad input', () => {
  it.each<[unknown, string, RegExp]>([
    [{ algorithm: 'DSA' }, 'algorithm', /RSA, EC/],
    [{}, 'algorithm', /RSA, EC/],
    [{ algorithm: 'RSA', key_size: 1024 }, 'key_size', /2048, 3072, 4096/],
    [{ algorithm: 'RSA', key_size: '2048' }, 'key_size', /2048, 3072, 4096/],
    [{ algorithm: 'RSA', curve: 'P-256' }, 'curve', /only to EC/],
    [{ algorithm: 'EC', curve: 'secp256k1' }, 'curve', /P-256, P-384, P-521/],
    [{ algorithm: 'EC', key_size: 256 }, 'key_size', /only to RSA/],
    [{ algorithm: 'EC', format: 'der' }, 'format', /pkcs8/],
  ])('rejects %j', async (request, field, message) => {
    const error = await generateKeypair(request as GenerateKeypairRequest).catch((e: unknown) => e);
    expect(isCryptoError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_input', field });
    expect((error as Error).message).toMatch(message);
  });
});
