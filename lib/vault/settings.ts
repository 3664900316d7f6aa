/** What a stored or requested setting may be; one place, so a restored backup obeys the same rules. */
export const AUTO_LOCK_CHOICES: readonly (number | null)[] = [1, 5, 15, 60, 240, null];
export const MAX_CLIPBOARD_SECONDS = 3600;

export const isAutoLockChoice = (value: unknown): value is number | null => AUTO_LOCK_CHOICES.includes(value as number | null);

export const isClipboardSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_CLIPBOARD_SECONDS;
