import { call } from '../../adapters/messenger';
import type { VaultSettings } from '../../lib/vault/types';
import { useLockAware } from './lock-context';
import { SettingSelect, type Choice } from './SettingSelect';

// The vault accepts exactly these (AUTO_LOCK_CHOICES in lib/vault/settings.ts); 'restart' stands for null.
const CHOICES: Choice[] = [
  { value: '1', label: '1 minute' },
  { value: '5', label: '5 minutes' },
  { value: '15', label: '15 minutes' },
  { value: '60', label: '1 hour' },
  { value: '240', label: '4 hours' },
  { value: 'restart', label: 'Only when the browser restarts' },
];

export function AutoLockSetting({ value, onSaved }: { value: number | null; onSaved: (s: VaultSettings) => void }) {
  const lockAware = useLockAware();
  return (
    <SettingSelect
      label="Auto-lock after inactivity"
      value={value === null ? 'restart' : String(value)}
      choices={CHOICES}
      save={async (choice) => {
        const autoLockMinutes = choice === 'restart' ? null : Number(choice);
        onSaved(await lockAware(call('vault.updateSettings', { autoLockMinutes })));
      }}
    />
  );
}
