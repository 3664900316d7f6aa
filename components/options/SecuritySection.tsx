import { useCallback, useEffect, useState } from 'react';
import { FormError } from '../ui/Field';
import { call } from '../../adapters/messenger';
import type { VaultSettings } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { AutoLockSetting } from './AutoLockSetting';
import { ChangePasswordForm } from './ChangePasswordForm';
import { ClipboardSetting } from './ClipboardSetting';
import { KdfForm } from './KdfForm';
import { DeviceNameSetting } from './DeviceNameSetting';
import { useLockAware } from './lock-context';
import { Section } from './Section';
import { t } from '../ui/i18n';

export function SecuritySection() {
  const lockAware = useLockAware();
  const [settings, setSettings] = useState<VaultSettings>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      setSettings(await lockAware(call('vault.getSettings')));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [lockAware]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Section title={t('securityTitle')}>
      <FormError message={error} />
      {settings && (
        <>
          <form aria-label={t('lockingAndClipboard')} onSubmit={(e) => e.preventDefault()}>
            <AutoLockSetting value={settings.autoLockMinutes} onSaved={setSettings} />
            <ClipboardSetting value={settings.clipboardClearSeconds} onSaved={setSettings} />
          </form>
          <DeviceNameSetting value={settings.deviceName} onSaved={setSettings} />
          <KdfForm current={settings.kdf} onApplied={load} />
        </>
      )}
      <ChangePasswordForm />
    </Section>
  );
}
