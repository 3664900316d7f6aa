import type { SafeSummary } from '../../lib/vault/types';
import { Field } from '../ui/Field';
import { t } from '../ui/i18n';
import { memo } from 'react';

interface SwitchersProps {
  safes: SafeSummary[];
  safeId: string;
  envId: string;
  onChange: (safeId: string, envId: string) => void;
}

/** Safe and environment pickers; a protected environment (Production) is marked in words and colour. */
export const Switchers = memo(function Switchers({ safes, safeId, envId, onChange }: SwitchersProps) {
  const safe = safes.find((s) => s.id === safeId);
  const env = safe?.environments.find((e) => e.id === envId);
  return (
    <div className={`row switchers${env?.protected ? ' protected' : ''}`}>
      <Field label={t('safeLabel')}>
        {(props) => (
          <select
            {...props}
            value={safeId}
            onChange={(e) => {
              const next = safes.find((s) => s.id === e.target.value);
              onChange(e.target.value, next?.environments[0]?.id ?? '');
            }}
          >
            {safes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.error ? `⚠ ${t('errSafeDamaged')}` : s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('environmentLabel')}>
        {(props) => (
          <select {...props} value={envId} onChange={(e) => onChange(safeId, e.target.value)}>
            {safe?.environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.error ? `⚠ ${t('errEnvDamaged')}` : e.protected ? t('envProtectedOption', e.name) : e.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {env?.protected && (
        <span className="badge-protected" role="note">
          {t('protectedBadge', env.name)}
        </span>
      )}
    </div>
  );
});
