import type { SafeSummary } from '../../lib/vault/types';
import { Field } from '../ui/Field';

interface SwitchersProps {
  safes: SafeSummary[];
  safeId: string;
  envId: string;
  onChange: (safeId: string, envId: string) => void;
}

/** Safe and environment pickers; a protected environment (Production) is marked in words and colour. */
export function Switchers({ safes, safeId, envId, onChange }: SwitchersProps) {
  const safe = safes.find((s) => s.id === safeId);
  const env = safe?.environments.find((e) => e.id === envId);
  return (
    <div className={`row switchers${env?.protected ? ' protected' : ''}`}>
      <Field label="Safe">
        {(props) => (
          <select {...props} value={safeId} onChange={(e) => {
            const next = safes.find((s) => s.id === e.target.value);
            onChange(e.target.value, next?.environments[0]?.id ?? '');
          }}>
            {safes.map((s) => <option key={s.id} value={s.id}>{s.error ? `⚠ ${s.error}` : s.name}</option>)}
          </select>
        )}
      </Field>
      <Field label="Environment">
        {(props) => (
          <select {...props} value={envId} onChange={(e) => onChange(safeId, e.target.value)}>
            {safe?.environments.map((e) => (
              <option key={e.id} value={e.id}>{e.protected ? `${e.name} (protected)` : e.name}</option>
            ))}
          </select>
        )}
      </Field>
      {env?.protected && <span className="badge-protected" role="note">Protected: {env.name}</span>}
    </div>
  );
}
