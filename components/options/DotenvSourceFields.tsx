import { Field } from '../ui/Field';

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
      onFileError('This file could not be read; choose it again');
    }
  }
  return (
    <>
      <Field label=".env file" error={fileError} hint="Its contents appear below, where you can check them before importing">
        {(props) => <input {...props} type="file" accept=".env,text/plain" onChange={(e) => void load(e.target.files?.[0])} />}
      </Field>
      <Field label=".env contents" error={error}>
        {(props) => <textarea {...props} className="mono" rows={8} spellCheck={false} value={text} onChange={(e) => onText(e.target.value)} />}
      </Field>
    </>
  );
}
