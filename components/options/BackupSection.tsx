import { BackupExportForm } from './BackupExportForm';
import { BackupRestoreForm } from './BackupRestoreForm';
import { Section } from './Section';

export function BackupSection({ onRestored }: { onRestored: () => void }) {
  return (
    <Section title="Backup">
      <p>
        A backup holds your whole vault, encrypted twice: under a backup password you choose here, and (inside) under
        your master password as it is today. Restoring it needs both.
      </p>
      <BackupExportForm />
      <BackupRestoreForm onRestored={onRestored} />
    </Section>
  );
}
