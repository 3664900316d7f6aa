// Rotation reminders: a *Rotate by* date and/or a period, sealed in the secret's meta. Pure date
// arithmetic on calendar days ('YYYY-MM-DD'), so a reminder falls on the same day in every time zone
// the user travels through and no clock is read here (the caller passes today).
import type { Rotation } from './types';

/** At most ten years between rotations: a longer period is a typo. Dates far ahead are fine. */
export const MAX_ROTATION_DAYS = 3650;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as 'YYYY-MM-DD', or undefined when it is not a real one (2026-02-30). */
export function checkDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DAY.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value ? value : undefined;
}

export function checkPeriod(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ROTATION_DAYS ? value : undefined;
}

/** A rotation from a meta that may come from a server or an older device: kept only if well-formed. */
export function checkedRotation(value: unknown): Rotation | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { due, everyDays } = value as Record<string, unknown>;
  const rotation: Rotation = {};
  const day = checkDay(due);
  const period = checkPeriod(everyDays);
  if (day !== undefined) rotation.due = day;
  if (period !== undefined) rotation.everyDays = period;
  return rotation.due === undefined && rotation.everyDays === undefined ? undefined : rotation;
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Today on the user's calendar (their time zone), as 'YYYY-MM-DD'. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Due on or before `today`. A period alone counts from when it was set, which wrote its first date. */
export function isDue(rotation: Rotation | undefined, today: string): boolean {
  return rotation?.due !== undefined && rotation.due <= today;
}

/**
 * The rotation after the secret was rotated `today`: the next date one period on; without a
 * period, no further reminder (the date was a one-off).
 */
export function afterRotation(rotation: Rotation | undefined, today: string): Rotation | undefined {
  if (rotation?.everyDays === undefined) return undefined;
  return { everyDays: rotation.everyDays, due: addDays(today, rotation.everyDays) };
}

/** A rotation as the user set it: a period without a date starts counting today. */
export function startRotation(rotation: Rotation, today: string): Rotation {
  if (rotation.everyDays !== undefined && rotation.due === undefined) return { ...rotation, due: addDays(today, rotation.everyDays) };
  return rotation;
}
