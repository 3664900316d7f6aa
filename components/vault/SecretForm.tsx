import { useState } from 'react';
import { generateKey } from '../../lib/toolkit-ops/generate-key';
import type { KeyType } from '../../lib/toolkit-ops/types';
import { useSubmit } from '../ui/use-submit';
import { Field, FormError } from '../ui/Field';

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

/**
 * The vault's option names (create and update) → the control that shows their error. An error in
 * one of several new secrets names its path (`keyValuePairs[0].key`), which matches by its last name.
 */
const ERROR_FIELDS: Record<string, keyof SecretDraft> = {
  key: 'key', newKey: 'key', keyValuePairs: 'key', value: 'value',
  secretPath: 'path', destinationPath: 'path', tags: 'tags', comment: 'comment',
};

/** New secret / edit secret, with the key generators inline for the value. */
export function SecretForm({ title, initial, valueOptional, onSave, onCancel }: SecretFormProps) {
  const [draft, setDraft] = useState(initial);
  const [generator, setGenerator] = useState<KeyType>('secret');
  const { busy, errors, handleSubmit } = useSubmit({ fields: ERROR_FIELDS });
  const set = (field: keyof SecretDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });

  const submit = handleSubmit(async () => {
    if (!draft.key.trim()) return { key: 'Give the secret a key, e.g. DATABASE_URL' };
    if (!valueOptional && draft.value === '') return { value: 'Type a value or generate one' };
    await onSave(draft);
  });

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
      <FormError message={errors.form} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>Save</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export const parseTags = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);
