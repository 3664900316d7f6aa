import { invalidInput } from '../crypto/errors';

/**
 * Small guards for requests that arrive as untyped JSON (the server, the popup's JSON box).
 * Each throws CryptoError('invalid_input') naming the field and saying what would be accepted.
 */

export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput('request', 'The request must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidInput(field, `${field} is required and must be a string`);
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  return isAbsent(value) ? undefined : requireString(value, field);
}

export function optionalInteger(value: unknown, field: string, min: number, max: number): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(field, `${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function oneOf<T extends string | number>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw invalidInput(field, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function rejectPresent(value: unknown, field: string, reason: string): void {
  if (!isAbsent(value) && value !== '') throw invalidInput(field, `${field} ${reason}`);
}
