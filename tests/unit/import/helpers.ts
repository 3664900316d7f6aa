import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VaultError } from '../../../lib/vault/errors';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/import');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function failure(promise: Promise<unknown> | (() => unknown)): Promise<VaultError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error as VaultError;
  }
  throw new Error('expected a failure');
}
