import { useState } from 'react';
import { call } from '../../adapters/messenger';
import { isDue, localDay } from '../../lib/vault/rotation';
import type { SecretSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { FormError } from '../ui/Field';
import { t } from '../ui/i18n';

/** A secret's rotation reminder: when it is due, and *Mark as rotated*, which sets the next date. */
export function RotationPanel({
  item,
  target,
  onChanged,
}: {
  item: SecretSummary;
  target: { safeId: string; envId: string };
  onChanged: () => void;
}) {
  const [error, setError] = useState('');
  const rotation = item.rotation;
  if (!rotation) return null;
  const due = isDue(rotation, localDay(new Date()));
  return (
    <section aria-label={t('rotationLabel')} className={due ? 'rotation due' : 'rotation'}>
      <p>
        {rotation.due && (due ? t('rotationDueSince', rotation.due) : t('rotationDueOn', rotation.due))}
        {rotation.everyDays !== undefined && <> · {t('rotationEvery', rotation.everyDays)}</>}
      </p>
      <button
        type="button"
        onClick={async () => {
          setError('');
          try {
            await call('vault.update', { ...target, id: item.id, rotated: true });
            onChanged();
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        {t('markRotated')}
      </button>
      <FormError message={error} />
    </section>
  );
}
