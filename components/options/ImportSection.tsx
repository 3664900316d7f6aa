import { useState } from 'react';
import { FormError } from '../ui/Field';
import { t } from '../ui/i18n';
import { summary } from './DotenvImportSection';
import { ImportFileForm, type ReadFile } from './ImportFileForm';
import { ImportPreview } from './ImportPreview';
import { Section } from './Section';
import { useSafes } from './useSafes';

/**
 * Settings → Import: read a file, preview, confirm. What was read lives only in this component's
 * state: Cancel, a finished import and a lock (which unmounts the page's sections) drop it.
 */
export function ImportSection() {
  const { safes, error } = useSafes();
  const [read, setRead] = useState<ReadFile>();
  const [result, setResult] = useState<string>();
  return (
    <Section title={t('importTitle')}>
      <FormError message={error} />
      {safes && !read && (
        <ImportFileForm
          key={result ?? ''}
          safes={safes}
          onRead={(r) => {
            setResult(undefined);
            setRead(r);
          }}
        />
      )}
      {safes && read && (
        <ImportPreview
          read={read}
          safes={safes}
          onCancel={() => setRead(undefined)}
          onDone={(r) => {
            setRead(undefined);
            setResult(summary(r));
          }}
        />
      )}
      {result && (
        <p role="status" className="saved">
          {result}
        </p>
      )}
    </Section>
  );
}
