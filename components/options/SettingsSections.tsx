import { AccountSection } from '../sync/AccountSection';
import { BackupSection } from './BackupSection';
import { DotenvExportSection } from './DotenvExportSection';
import { DotenvImportSection } from './DotenvImportSection';
import { ImportSection } from './ImportSection';
import { SecuritySection } from './SecuritySection';
import { ShortcutsSection } from './ShortcutsSection';

/** What an unlocked vault offers on the options page, one section per concern. */
export function SettingsSections({ onRestored }: { onRestored: () => void }) {
  return (
    <>
      <AccountSection />
      <SecuritySection />
      <ImportSection />
      <DotenvImportSection />
      <DotenvExportSection />
      <BackupSection onRestored={onRestored} />
      <ShortcutsSection />
    </>
  );
}
