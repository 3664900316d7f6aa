import type { FocusReason } from '../../lib/autofill/types';
import type { MessageKey } from '../../lib/i18n';
import { t } from '../ui/i18n';

const REASONS: Record<FocusReason, MessageKey> = {
  frame: 'fillRefusedFrame',
  shadow: 'fillRefusedShadow',
  editable: 'fillRefusedEditable',
  'not-field': 'fillRefusedNotField',
  hidden: 'fillRefusedHidden',
};

/**
 * The user's focus is where Keysmith does not fill: it says why and names the one clear field, which
 * is filled only on this second, explicit click (never a silent fallback into a field nobody chose).
 */
export function FillRefused({
  keyName,
  reason,
  offer,
  onFill,
  onCancel,
}: {
  keyName: string;
  reason: FocusReason;
  offer?: string;
  onFill: () => void;
  onCancel: () => void;
}) {
  return (
    <div role="alertdialog" aria-label={t('fillRefusedTitle', keyName)} className="fill-confirm">
      <p>{t('fillRefusedTitle', keyName)}</p>
      <p>{t(REASONS[reason])}</p>
      <p>{offer ? t('fillInsteadQuestion', offer) : t('fillClickField')}</p>
      <div className="row">
        {offer && (
          <button type="button" onClick={onFill}>
            {t('fillInstead', offer)}
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
