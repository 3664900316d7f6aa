import { useState, type FormEvent } from 'react';
import { generateKey } from '../../lib/toolkit-ops/generate-key';
import type { KeyType } from '../../lib/toolkit-ops/types';
import { placeError } from '../ui/place-error';
import { Field } from '../ui/Field';

export interface SecretDraft {
  key: string;
  value: string;
  path: string;
  tags: string;
  comment: string;
}

interface SecretFormProps {
  title: string;
  initial: SecretDraft;
  /** Edit mode leaves the value alone unless the user types a new one. */
  valueOptional?: boolean;
  onSave: (draft: SecretDraft) => Promise<void>;
  onCancel: () => void;
}

const GENERATORS: { type: KeyType; label: string }[] = [
  { type: 'secret', label: 'Hex secret (64)' },
  { type: 'api-key', label: 'API key' },
  { type: 'uuid-v4', label: 'UUID v4' },
  { type: 'nanoid', label: 'Nanoid (21)' },
];

/** The vault's option names (create and update) → the control that shows their error. */
const ERROR_FIELDS: Record<string, keyof SecretDraft> = {
  key: 'key', newKey: 'key', keyValuePairs: 'key', value: 'value',
  secretPath: 'path', destinationPath: 'path', tags: 'tags', comment: 'comment',
};

/** New secret / edit secret, with the key generators inline for the value. */
export function SecretForm({ title, initial, valueOptional, onSave, onCancel }: SecretFormProps) {
  const [draft, setDraft] = useState(initial);
  const [generator, setGenerator] = useState<KeyType>('secret');
  const [errors, setErrors] = useState<Partial<Record<keyof SecretDraft | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const set = (field: keyof SecretDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.key.trim()) return setErrors({ key: 'Give the secret a key, e.g. DATABASE_URL' });
    if (!valueOptional && draft.value === '') return setErrors({ value: 'Type a value or generate one' });
    setBusy(true);
    setErrors({});
    try {
      await onSave(draft);
    } catch (error) {
      setErrors(placeError(error, { fields: ERROR_FIELDS }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} aria-label={title} aria-busy={busy}>
      <h2>{title}</h2>
      <Field label="Key" error={errors.key}>
        {(props) => <input {...props} className="mono" value={draft.key} onChange={set('key')} autoFocus autoComplete="off" spellCheck={false} />}
      </Field>
      <Field label="Value" error={errors.value} hint={valueOptional ? 'Leave empty to keep the current value' : undefined}>
        {(props) => <textarea {...props} className="mono" rows={2} value={draft.value} onChange={set('value')} autoComplete="off" spellCheck={false} />}
      </Field>
      <div className="row">
        <Field label="Generator">
          {(props) => (
            <select {...props} value={generator} onChange={(e) => setGenerator(e.target.value as KeyType)}>
              {GENERATORS.map((g) => <option key={g.type} value={g.type}>{g.label}</option>)}
            </select>
          )}
        </Field>
        <button type="button" onClick={async () => setDraft({ ...draft, value: (await generateKey({ type: generator })).key })}>
          Generate value
        </button>
      </div>
      <Field label="Path" error={errors.path} hint="Folder for this secret, e.g. / or /api">
        {(props) => <input {...props} className="mono" value={draft.path} onChange={set('path')} spellCheck={false} />}
      </Field>
      <Field label="Tags" error={errors.tags} hint="Comma-separated">
        {(props) => <input {...props} spellCheck={false} value={draft.tags} onChange={set('tags')} />}
      </Field>
      <Field label="Comment" error={errors.comment}>
        {(props) => <input {...props} spellCheck={false} value={draft.comment} onChange={set('comment')} />}
      </Field>
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>Save</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export const parseTags = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);
