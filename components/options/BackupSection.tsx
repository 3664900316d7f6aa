import { BackupExportForm } from './BackupExportForm';
import { BackupRestoreForm } from './BackupRestoreForm';
import { Section } from './Section';
import { t } from '../ui/i18n';

export function BackupSection({ onRestored }: { onRestored: () => void }) {
  return (
    <Section title={t('backupTitle')}>
      <p>{t('backupIntro')}</p>
      <BackupExportForm />
      <BackupRestoreForm onRestored={onRestored} />
    </Section>
  );
}
