/** What a stored or requested setting may be; one place, so a restored backup obeys the same rules. */
export const AUTO_LOCK_CHOICES: readonly (number | null)[] = [1, 5, 15, 60, 240, null];
export const MAX_CLIPBOARD_SECONDS = 3600;

export const isAutoLockChoice = (value: unknown): value is number | null => AUTO_LOCK_CHOICES.includes(value as number | null);

export const isClipboardSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_CLIPBOARD_SECONDS;

/** A device's name: one line of 1–64 characters, written with each version of a secret made on it. */
export const MAX_DEVICE_NAME = 64;
export const isDeviceName = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() === value && value.length > 0 && value.length <= MAX_DEVICE_NAME && !/[\p{Cc}]/u.test(value);
