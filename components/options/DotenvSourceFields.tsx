import { Field } from '../ui/Field';
import { t } from '../ui/i18n';

/** A .env file picker that loads the file into an editable text area (or paste straight in). */
export function DotenvSourceFields({
  text,
  onText,
  error,
  fileError,
  onFileError,
}: {
  text: string;
  onText: (text: string) => void;
  error?: string | undefined;
  fileError?: string | undefined;
  onFileError: (message: string) => void;
}) {
  async function load(file: File | undefined) {
    if (!file) return;
    try {
      onText(await file.text());
    } catch {
      onFileError(t('fileUnreadable'));
    }
  }
  return (
    <>
      <Field label={t('dotenvFile')} error={fileError} hint={t('dotenvFileHint')}>
        {(props) => <input {...props} type="file" accept=".env,text/plain" onChange={(e) => void load(e.target.files?.[0])} />}
      </Field>
      <Field label={t('dotenvContents')} error={error}>
        {(props) => (
          <textarea {...props} className="mono" rows={8} spellCheck={false} value={text} onChange={(e) => onText(e.target.value)} />
        )}
      </Field>
    </>
  );
}
