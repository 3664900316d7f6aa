import { damaged } from './fail';
import { MAX_JSON_DEPTH } from './limits';

/**
 * JSON.parse, then a depth check without recursion, so that walking the result later cannot
 * overflow the stack (a hostile file nesting arrays a million deep).
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw damaged('errImportNotJson');
  }
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw damaged('errImportTooDeep', MAX_JSON_DEPTH);
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return value;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A string field, or '' when absent or of another type (exports leave optional fields null). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
