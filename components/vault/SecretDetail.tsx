import { useState } from 'react';
import { FormError } from '../ui/Field';
import { call } from '../../adapters/messenger';
import type { SecretSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { copySecret } from '../ui/copy-secret';
import { OverridePanel } from './OverridePanel';
import { autofillOf, parseTags, SecretForm, websitesOf } from './SecretForm';
import { t } from '../ui/i18n';

interface SecretDetailProps {
  item: SecretSummary;
  target: { safeId: string; envId: string };
  onBack: () => void;
  /** After an edit, a delete or an override change: reload the list (and follow the item if it still exists). */
  onChanged: (id: string | undefined) => void;
}

/** One secret: value hidden until revealed, copy, edit, delete (with confirmation), tags, comment, override. */
export function SecretDetail({ item, target, onBack, onChanged }: SecretDetailProps) {
  const [value, setValue] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const reveal = async () => (await call('vault.revealSecret', { id: item.id })).value;
  async function run(action: () => Promise<void>) {
    setError('');
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (editing) {
    return (
      <SecretForm
        title={t('editSecretTitle', item.key)}
        valueOptional
        initial={{ key: item.key, value: '', path: item.path, tags: item.tags.join(', '), comment: item.comment, ...websitesOf(item.autofill), encryptionKey: item.encryptionKey === true }}
        onCancel={() => setEditing(false)}
        onSave={async (draft) => {
          await call('vault.update', {
            ...target,
            id: item.id,
            ...(draft.key !== item.key ? { newKey: draft.key } : {}),
            ...(draft.value !== '' ? { value: draft.value } : {}),
            ...(draft.path !== item.path ? { destinationPath: draft.path } : {}),
            tags: parseTags(draft.tags),
            comment: draft.comment,
            autofill: autofillOf(draft),
            encryptionKey: draft.encryptionKey,
          });
          setEditing(false);
          setValue(null);
          onChanged(item.id);
        }}
      />
    );
  }

  return (
    <section aria-label={t('secretRegion', item.key)} className="detail">
      <div className="row">
        <button type="button" onClick={onBack} aria-label={t('backToList')}>←</button>
        <h2 className="mono">{item.key}</h2>
      </div>
      <p className="muted">{t('pathLabel')} <span className="mono">{item.path}</span>{item.overridden && <> · {t('overrideActive')}</>}</p>
      <div className="row">
        <output aria-label={t('valueLabel')} className="mono value">{value ?? '••••••••••••'}</output>
        <button type="button" onClick={() => run(async () => setValue(value === null ? await reveal() : null))}>
          {value === null ? t('reveal') : t('hide')}
        </button>
        <button type="button" aria-label={t('copyValue')} onClick={() => run(async () => setMessage(await copySecret({ id: item.id })))}>
          {t('copy')}
        </button>
      </div>
      {item.tags.length > 0 && (
        <ul aria-label={t('tagsLabel')} className="tags">{item.tags.map((tag) => <li key={tag} className="tag">{tag}</li>)}</ul>
      )}
      {item.comment && <p aria-label={t('commentLabel')}>{item.comment}</p>}
      <OverridePanel item={item} target={target} onChanged={() => { setValue(null); onChanged(item.id); }} />
      <div className="row">
        <button type="button" onClick={() => setEditing(true)}>{t('edit')}</button>
        {!confirmDelete && <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>{t('delete')}</button>}
      </div>
      {confirmDelete && (
        <div role="alertdialog" aria-label={t('confirmDelete')} className="confirm">
          <p>{t('confirmDeleteText', item.key, item.path)}</p>
          <div className="row">
            <button type="button" className="danger" autoFocus onClick={() => run(async () => {
              await call('vault.delete', { ...target, id: item.id });
              onChanged(undefined);
            })}>{t('deleteSecret')}</button>
            <button type="button" onClick={() => setConfirmDelete(false)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
    </section>
  );
}
