import type { NoticeKind } from './types';

/** Counts what a file held that is not imported as such (see NoticeKind). */
export class Notices {
  readonly counts: Partial<Record<NoticeKind, number>> = {};
  add(kind: NoticeKind, count = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + count;
  }
}
