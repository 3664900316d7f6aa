/** The safe and environment on screen, kept for the next popup: random ids, nothing secret, in localStorage. */
export interface CurrentEnv {
  safeId: string;
  envId: string;
}

/** The stored name ("place", an older word for a safe and environment) is kept so every user's last choice reads as it is. */
const KEY = 'keysmith.place';

export function readCurrentEnv(): CurrentEnv {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '') as Partial<CurrentEnv>;
    return { safeId: String(stored.safeId ?? ''), envId: String(stored.envId ?? '') };
  } catch {
    return { safeId: '', envId: '' };
  }
}

export function saveCurrentEnv(current: CurrentEnv): void {
  localStorage.setItem(KEY, JSON.stringify(current));
}
