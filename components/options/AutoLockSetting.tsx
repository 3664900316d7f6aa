import { call } from '../../adapters/messenger';
import type { VaultSettings } from '../../lib/vault/types';
import { useLockAware } from './lock-context';
import { SettingSelect, type Choice } from './SettingSelect';
import { plural, t } from '../ui/i18n';

// The vault accepts exactly these (AUTO_LOCK_CHOICES in lib/vault/settings.ts); 'restart' stands for null.
const minutes = (n: number) => plural(n, 'durationMinuteOne', 'durationMinuteOther');
const hours = (n: number) => plural(n, 'durationHourOne', 'durationHourOther');
const choices = (): Choice[] => [
  { value: '1', label: minutes(1) },
  { value: '5', label: minutes(5) },
  { value: '15', label: minutes(15) },
  { value: '60', label: hours(1) },
  { value: '240', label: hours(4) },
  { value: 'restart', label: t('lockOnRestart') },
];

export function AutoLockSetting({ value, onSaved }: { value: number | null; onSaved: (s: VaultSettings) => void }) {
  const lockAware = useLockAware();
  return (
    <SettingSelect
      label={t('autoLockLabel')}
      value={value === null ? 'restart' : String(value)}
      choices={choices()}
      save={async (choice) => {
        const autoLockMinutes = choice === 'restart' ? null : Number(choice);
        onSaved(await lockAware(call('vault.updateSettings', { autoLockMinutes })));
      }}
    />
  );
}
