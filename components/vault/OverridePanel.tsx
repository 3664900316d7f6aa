import { useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SecretSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { Field } from '../ui/Field';
import { t } from '../ui/i18n';

/**
 * A personal override: a value only this user sees in place of the shared one, encrypted with the
 * user's vault key (never the safe key). Set it, switch it on and off, or remove it.
 */
export function OverridePanel({
  item,
  target,
  onChanged,
}: {
  item: SecretSummary;
  target: { safeId: string; envId: string };
  onChanged: () => void;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  // The checkbox answers at once; the list reload that follows confirms it (or the error undoes it).
  const [active, setActive] = useState(item.overridden);
  useEffect(() => setActive(item.overridden), [item.overridden]);
  async function update(change: { override?: true; value?: string; toggleOverride?: true; deleteOverride?: true }) {
    setError('');
    try {
      await call('vault.update', { ...target, id: item.id, ...change });
      setValue('');
      onChanged();
    } catch (err) {
      setActive(item.overridden);
      setError(errorMessage(err));
    }
  }
  return (
    <details className="override">
      <summary>{t('personalOverride')}</summary>
      {item.hasOverride && (
        <label className="row">
          <input
            type="checkbox"
            checked={active}
            onChange={() => {
              setActive(!active);
              void update({ toggleOverride: true });
            }}
          />
          {t('useMyOverride')}
        </label>
      )}
      <Field label={t('overrideValue')} error={error}>
        {(props) => (
          <input
            {...props}
            spellCheck={false}
            className="mono"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
          />
        )}
      </Field>
      <div className="row">
        <button type="button" disabled={!value} onClick={() => update({ override: true, value })}>
          {t('setOverride')}
        </button>
        {item.hasOverride && (
          <button type="button" onClick={() => update({ deleteOverride: true })}>
            {t('removeOverride')}
          </button>
        )}
      </div>
    </details>
  );
}
