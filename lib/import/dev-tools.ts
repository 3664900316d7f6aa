// The developer secrets managers' exports: .env, Doppler, Phase and Infisical JSON.
import { parseDotenv } from '../vault/dotenv';
import { damaged } from './fail';
import { isObject, list, parseJson, text } from './json';
import { keyFrom, pathFrom } from './names';
import type { ImportedSecret, ParsedImport } from './types';

/** `.env` (any tool's, Phase's `phase secrets export` included): dotenv's rules, `#` lines above a key as its comment. */
export function readDotenv(source: string, base: string): ParsedImport {
  const secrets = parseDotenv(source).map((e) => ({
    path: base,
    key: e.key,
    value: e.value,
    ...(e.comment ? { comment: e.comment } : {}),
  }));
  if (secrets.length === 0 && source.trim() !== '') throw damaged('errImportNoSecrets');
  return { format: 'dotenv', secrets, notices: {} };
}

/**
 * Doppler: `doppler secrets download --format json` writes `{"KEY": "value"}`; `doppler secrets
 * --json` writes `{"KEY": {"computed", "raw", "note"}}`. The computed value is the one Doppler
 * serves: its references (`${config.KEY}`) name Doppler's configs, not Keysmith's environments.
 */
export function readDoppler(source: string, base: string): ParsedImport {
  const data = parseJson(source);
  if (!isObject(data)) throw damaged('errImportShape', 'Doppler');
  const secrets: ImportedSecret[] = [];
  for (const [name, entry] of Object.entries(data)) {
    if (isObject(entry)) {
      const note = text(entry.note);
      secrets.push({ path: base, key: keyFrom(name), value: text(entry.computed ?? entry.raw), ...(note ? { comment: note } : {}) });
    } else if (typeof entry === 'string') {
      secrets.push({ path: base, key: keyFrom(name), value: entry });
    } else {
      throw damaged('errImportShape', 'Doppler');
    }
  }
  return { format: 'doppler', secrets, notices: {} };
}

/**
 * Phase: `phase secrets export --format json` writes `{"KEY": "value"}`. Values keep their
 * `${…}` references as written: Keysmith reads Phase's reference syntax.
 */
export function readPhase(source: string, base: string): ParsedImport {
  const data = parseJson(source);
  if (!isObject(data) || Object.values(data).some((v) => typeof v !== 'string')) throw damaged('errImportShape', 'Phase');
  const secrets = Object.entries(data).map(([name, value]) => ({ path: base, key: keyFrom(name), value: value as string }));
  return { format: 'phase', secrets, notices: {} };
}

/**
 * Infisical: `infisical export --format=json` writes a list of `{key, value, type, secretPath?,
 * tags?: [{name|slug}], comment?}`. A `personal` entry is one member's override of a shared
 * secret: it is not imported (Keysmith's overrides are made on the device that uses them).
 */
export function readInfisical(source: string, base: string): ParsedImport {
  const data = parseJson(source);
  if (!Array.isArray(data) || data.some((e) => !isObject(e) || typeof e.key !== 'string')) throw damaged('errImportShape', 'Infisical');
  const secrets: ImportedSecret[] = [];
  let personal = 0;
  for (const entry of data as Record<string, unknown>[]) {
    if (entry.type === 'personal') {
      personal++;
      continue;
    }
    const tags = list(entry.tags)
      .map((t) => (isObject(t) ? text(t.name) || text(t.slug) : text(t)))
      .filter((t) => t !== '');
    const comment = text(entry.comment);
    secrets.push({
      path: pathFrom(base, text(entry.secretPath)),
      key: keyFrom(text(entry.key)),
      value: text(entry.value),
      ...(comment ? { comment } : {}),
      ...(tags.length > 0 ? { tags } : {}),
    });
  }
  return { format: 'infisical', secrets, notices: personal > 0 ? { personal } : {} };
}
