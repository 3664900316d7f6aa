// Which secrets are due for rotation: from the names in memory, so the popup's group and the
// toolbar badge's daily check decrypt no value.
import type { VaultContext } from './context';
import { isDue, localDay } from './rotation';
import { hitsWhere } from './search';
import type { SearchHit } from './types';

/** Every secret whose *Rotate by* date is today or past, the most overdue first. */
export async function dueForRotation(ctx: VaultContext): Promise<SearchHit[]> {
  const today = localDay(new Date(ctx.now()));
  const due = await hitsWhere(ctx, (e) => isDue(e.rotation, today));
  return due.sort((a, b) => a.rotation!.due!.localeCompare(b.rotation!.due!));
}
