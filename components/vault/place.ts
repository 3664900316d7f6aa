/** The safe and environment the popup showed last: random ids, nothing secret, kept in localStorage. */
export interface Place {
  safeId: string;
  envId: string;
}

const KEY = 'keysmith.place';

export function readPlace(): Place {
  try {
    const place = JSON.parse(localStorage.getItem(KEY) ?? '') as Partial<Place>;
    return { safeId: String(place.safeId ?? ''), envId: String(place.envId ?? '') };
  } catch {
    return { safeId: '', envId: '' };
  }
}

export function savePlace(place: Place): void {
  localStorage.setItem(KEY, JSON.stringify(place));
}
