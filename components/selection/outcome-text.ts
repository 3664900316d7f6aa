import type { SelectionOutcome } from '../../lib/selection/types';
import { t } from '../ui/i18n';

/** What happened, in words: the page was changed, or the clipboard holds the result. */
export function outcomeText(outcome: SelectionOutcome): string {
  if (outcome.done === 'replaced') return t('selectionReplaced');
  if (outcome.done === 'copied')
    return outcome.clearAfterSeconds ? t('selectionCopiedClears', outcome.clearAfterSeconds) : t('selectionCopied');
  return '';
}
