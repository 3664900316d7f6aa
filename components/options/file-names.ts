/** A name safe in any file system: letters, digits, `_`, `.` and `-`; everything else becomes `_`. */
function fileSafe(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[^\w.-]+/g, '_')
    .replace(/^\.+/, '');
  return cleaned || 'unnamed';
}

export function dotenvFileName(safeName: string, envName: string): string {
  return `${fileSafe(safeName)}-${fileSafe(envName)}.env`;
}

/** `keysmith-backup-YYYY-MM-DD.json`, in the user's local date (the day they made it). */
export function backupFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `keysmith-backup-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.json`;
}
