import { call } from '../../adapters/messenger';
import type { VaultSettings } from '../../lib/vault/types';
import { useLockAware } from './lock-context';
import { SettingSelect, type Choice } from './SettingSelect';
import { t } from '../ui/i18n';

const SECONDS = [0, 10, 20, 30, 60, 120, 300];

export function clipboardLabel(seconds: number): string {
  if (seconds === 0) return t('clipboardNever');
  if (seconds % 60 === 0) return t('clipboardAfterMin', seconds / 60);
  return t('clipboardAfterSec', seconds);
}

export function ClipboardSetting({ value, onSaved }: { value: number; onSaved: (s: VaultSettings) => void }) {
  const lockAware = useLockAware();
  // A value set elsewhere (any 0–3600 s is valid) is shown as it is rather than misreported.
  const seconds = SECONDS.includes(value) ? SECONDS : [...SECONDS, value].sort((a, b) => a - b);
  const choices: Choice[] = seconds.map((s) => ({ value: String(s), label: clipboardLabel(s) }));
  return (
    <SettingSelect
      label={t('clipboardLabel')}
      value={String(value)}
      choices={choices}
      save={async (choice) => {
        onSaved(await lockAware(call('vault.updateSettings', { clipboardClearSeconds: Number(choice) })));
      }}
    />
  );
}
