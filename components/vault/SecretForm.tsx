import { useState } from 'react';
import { generateKey } from '../../lib/toolkit-ops/generate-key';
import type { KeyType } from '../../lib/toolkit-ops/types';
import { useSubmit } from '../ui/use-submit';
import { Field, FormError } from '../ui/Field';
import { t } from '../ui/i18n';
import type { MessageKey } from '../../lib/i18n';
import type { FillSite } from '../../lib/autofill/sites';

export interface SecretDraft {
  key: string;
  value: string;
  path: string;
  tags: string;
  comment: string;
  /** Autofill websites, one per line. */
  websites: string;
  subdomains: boolean;
  fieldName: string;
  /** The value is a 64-hex key the right-click menu encrypts with. */
  encryptionKey: boolean;
  /** *Rotate by* ('YYYY-MM-DD', or '') and every how many days ('' for none). */
  rotateBy: string;
  rotateEvery: string;
}

interface SecretFormProps {
  title: string;
  initial: SecretDraft;
  /** Edit mode leaves the value alone unless the user types a new one. */
  valueOptional?: boolean;
  onSave: (draft: SecretDraft) => Promise<void>;
  onCancel: () => void;
}

const GENERATORS: { type: KeyType; label: MessageKey }[] = [
  { type: 'secret', label: 'genHex64' },
  { type: 'api-key', label: 'genApiKey' },
  { type: 'uuid-v4', label: 'genUuid' },
  { type: 'nanoid', label: 'genNanoid21' },
];

/**
 * The vault's option names (create and update) → the control that shows their error. An error in
 * one of several new secrets names its path (`keyValuePairs[0].key`), which matches by its last name.
 */
const ERROR_FIELDS: Record<string, keyof SecretDraft> = {
  key: 'key',
  newKey: 'key',
  keyValuePairs: 'key',
  value: 'value',
  secretPath: 'path',
  destinationPath: 'path',
  tags: 'tags',
  comment: 'comment',
  autofill: 'websites',
  encryptionKey: 'value',
  'rotation.due': 'rotateBy',
  'rotation.everyDays': 'rotateEvery',
  rotation: 'rotateBy',
};

/** New secret / edit secret, with the key generators inline for the value. */
export function SecretForm({ title, initial, valueOptional, onSave, onCancel }: SecretFormProps) {
  const [draft, setDraft] = useState(initial);
  const [generator, setGenerator] = useState<KeyType>('secret');
  const { busy, errors, handleSubmit } = useSubmit({ fields: ERROR_FIELDS });
  const set = (field: Exclude<keyof SecretDraft, 'subdomains' | 'encryptionKey'>) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [field]: e.target.value });

  const submit = handleSubmit(async () => {
    if (!draft.key.trim()) return { key: t('needKey') };
    if (!valueOptional && draft.value === '') return { value: t('needValue') };
    await onSave(draft);
  });

  return (
    <form noValidate onSubmit={submit} aria-label={title} aria-busy={busy}>
      <h2>{title}</h2>
      <Field label={t('keyLabel')} error={errors.key}>
        {(props) => (
          <input {...props} className="mono" value={draft.key} onChange={set('key')} autoFocus autoComplete="off" spellCheck={false} />
        )}
      </Field>
      <Field label={t('valueLabel')} error={errors.value} hint={valueOptional ? t('keepValueHint') : undefined}>
        {(props) => (
          <textarea
            {...props}
            className="mono"
            rows={2}
            value={draft.value}
            onChange={set('value')}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <div className="row">
        <Field label={t('generatorLabel')}>
          {(props) => (
            <select {...props} value={generator} onChange={(e) => setGenerator(e.target.value as KeyType)}>
              {GENERATORS.map((g) => (
                <option key={g.type} value={g.type}>
                  {t(g.label)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="button" onClick={async () => setDraft({ ...draft, value: (await generateKey({ type: generator })).key })}>
          {t('generateValue')}
        </button>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.encryptionKey} onChange={(e) => setDraft({ ...draft, encryptionKey: e.target.checked })} />
        {t('encryptionKeyLabel')}
      </label>
      <Field label={t('pathLabel')} error={errors.path} hint={t('pathHint')}>
        {(props) => <input {...props} className="mono" value={draft.path} onChange={set('path')} spellCheck={false} />}
      </Field>
      <Field label={t('tagsLabel')} error={errors.tags} hint={t('tagsHint')}>
        {(props) => <input {...props} spellCheck={false} value={draft.tags} onChange={set('tags')} />}
      </Field>
      <Field label={t('commentLabel')} error={errors.comment}>
        {(props) => <input {...props} spellCheck={false} value={draft.comment} onChange={set('comment')} />}
      </Field>
      <div className="row">
        <Field label={t('rotateByLabel')} error={errors.rotateBy}>
          {(props) => <input {...props} type="date" value={draft.rotateBy} onChange={set('rotateBy')} />}
        </Field>
        <Field label={t('rotateEveryLabel')} error={errors.rotateEvery} hint={t('rotateEveryHint')}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              max={3650}
              inputMode="numeric"
              value={draft.rotateEvery}
              onChange={set('rotateEvery')}
            />
          )}
        </Field>
      </div>
      <Field label={t('websitesLabel')} error={errors.websites} hint={t('websitesHint')}>
        {(props) => <textarea {...props} rows={2} spellCheck={false} value={draft.websites} onChange={set('websites')} />}
      </Field>
      {draft.websites.trim() !== '' && (
        <>
          <label className="check">
            <input type="checkbox" checked={draft.subdomains} onChange={(e) => setDraft({ ...draft, subdomains: e.target.checked })} />
            {t('subdomainsLabel')}
          </label>
          <Field label={t('fieldNameLabel')} hint={t('fieldNameHint')}>
            {(props) => <input {...props} className="mono" spellCheck={false} value={draft.fieldName} onChange={set('fieldName')} />}
          </Field>
        </>
      )}
      <FormError message={errors.form} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export const parseTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

/** The form's websites as the vault's fill sites (the vault checks each address). */
export function autofillOf(draft: SecretDraft): FillSite[] {
  const field = draft.fieldName.trim();
  return draft.websites
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((origin) => ({ origin, subdomains: draft.subdomains, ...(field ? { field } : {}) }));
}

/** A secret's fill sites as the form shows them. */
export function websitesOf(autofill: readonly FillSite[] = []): Pick<SecretDraft, 'websites' | 'subdomains' | 'fieldName'> {
  return {
    websites: autofill.map((a) => a.origin).join('\n'),
    subdomains: autofill.some((a) => a.subdomains),
    fieldName: autofill.find((a) => a.field)?.field ?? '',
  };
}

/** The form's rotation fields as the vault's rotation ({} removes it; the vault checks each field). */
export function rotationOf(draft: SecretDraft): { due?: string; everyDays?: number } {
  const every = draft.rotateEvery.trim();
  return {
    ...(draft.rotateBy ? { due: draft.rotateBy } : {}),
    ...(every ? { everyDays: Number(every) } : {}),
  };
}

/** A secret's rotation as the form shows it. */
export function rotationFields(rotation: { due?: string; everyDays?: number } | undefined): Pick<SecretDraft, 'rotateBy' | 'rotateEvery'> {
  return { rotateBy: rotation?.due ?? '', rotateEvery: rotation?.everyDays === undefined ? '' : String(rotation.everyDays) };
}
