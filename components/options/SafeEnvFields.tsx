import { useEffect } from 'react';
import type { SafeSummary } from '../../lib/vault/types';
import { Field } from '../ui/Field';
import { t } from '../ui/i18n';

export interface SafeEnv {
  safeId: string;
  envId: string;
}

/** Safe and environment selects; picking another safe selects its first environment. */
export function SafeEnvFields({
  safes,
  value,
  onChange,
  errors = {},
}: {
  safes: SafeSummary[];
  value: SafeEnv;
  onChange: (next: SafeEnv) => void;
  errors?: { safe?: string | undefined; env?: string | undefined };
}) {
  const safe = safes.find((s) => s.id === value.safeId);
  const envs = (safe?.environments ?? []).filter((e) => !e.error);

  // Start on the first safe and environment (and recover if the chosen one disappeared).
  useEffect(() => {
    if (safes.length === 0) return;
    if (!safe) onChange({ safeId: safes[0]!.id, envId: safes[0]!.environments.find((e) => !e.error)?.id ?? '' });
    else if (!envs.some((e) => e.id === value.envId)) onChange({ safeId: safe.id, envId: envs[0]?.id ?? '' });
  }, [safes, safe, envs, value.envId, onChange]);

  return (
    <div className="row">
      <Field label={t('safeLabel')} error={errors.safe}>
        {(props) => (
          <select
            {...props}
            value={value.safeId}
            onChange={(e) => {
              const chosen = safes.find((s) => s.id === e.target.value);
              onChange({ safeId: e.target.value, envId: chosen?.environments.find((env) => !env.error)?.id ?? '' });
            }}
          >
            {safes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('environmentLabel')} error={errors.env}>
        {(props) => (
          <select {...props} value={value.envId} onChange={(e) => onChange({ safeId: value.safeId, envId: e.target.value })}>
            {envs.map((env) => (
              <option key={env.id} value={env.id}>
                {env.protected ? t('envProtectedOption', env.name) : env.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

export function namesOf(safes: SafeSummary[], target: SafeEnv): { safeName: string; envName: string } {
  const safe = safes.find((s) => s.id === target.safeId);
  return { safeName: safe?.name ?? 'safe', envName: safe?.environments.find((e) => e.id === target.envId)?.name ?? 'env' };
}
