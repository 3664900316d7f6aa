import { invalidInput } from '../crypto/errors';
import type { MessageKey } from '../i18n';

/**
 * Small guards for requests that arrive as untyped JSON (the server, the popup's JSON box).
 * Each throws CryptoError('invalid_input') naming the field and saying what would be accepted.
 */

export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput('request', 'errRequestObject');
  }
  return value as Record<string, unknown>;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidInput(field, 'errRequired', field);
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  return isAbsent(value) ? undefined : requireString(value, field);
}

export function optionalInteger(value: unknown, field: string, min: number, max: number): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(field, 'errWholeRange', field, min, max);
  }
  return value;
}

export function oneOf<T extends string | number>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw invalidInput(field, 'errOneOf', field, allowed.join(', '));
  }
  return value as T;
}

export function rejectPresent(value: unknown, field: string, reason: MessageKey): void {
  if (!isAbsent(value) && value !== '') throw invalidInput(field, reason);
}
