import { useState } from 'react';
import { FormError } from '../ui/Field';
import { call } from '../../adapters/messenger';
import type { SecretSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { copySecret } from '../ui/copy-secret';
import { OverridePanel } from './OverridePanel';
import { autofillOf, parseTags, rotationFields, rotationOf, SecretForm, websitesOf } from './SecretForm';
import { RotationPanel } from './RotationPanel';
import { ReferrersPrompt, UsedBy } from './UsedBy';
import type { SearchHit } from '../../lib/vault/types';
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
  /** Beside a revealed value that holds references: what copy and fill would use, or why they would stop. */
  const [resolved, setResolved] = useState<{ value: string } | { error: string } | null>(null);
  /** After a rename or move that others referenced: who, and the old name. */
  const [referrers, setReferrers] = useState<{ from: { key: string; path: string }; users: SearchHit[] } | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const reveal = async () => {
    const raw = (await call('vault.revealSecret', { id: item.id })).value;
    setResolved(null);
    if (raw.includes('${')) {
      // Resolved here for display only; nothing is stored.
      call('vault.resolveSecret', { id: item.id }).then(
        (r) => setResolved({ value: r.value }),
        (err: unknown) => setResolved({ error: errorMessage(err) }),
      );
    }
    return raw;
  };
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
        initial={{
          key: item.key,
          value: '',
          path: item.path,
          tags: item.tags.join(', '),
          comment: item.comment,
          ...websitesOf(item.autofill),
          encryptionKey: item.encryptionKey === true,
          ...rotationFields(item.rotation),
        }}
        onCancel={() => setEditing(false)}
        onSave={async (draft) => {
          // Renaming or moving breaks the references to the old name: found before the change, offered after.
          const moved = draft.key !== item.key || draft.path !== item.path;
          const users = moved ? await call('vault.usedBy', { id: item.id }) : [];
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
            rotation: rotationOf(draft),
          });
          if (users.length > 0) setReferrers({ from: { key: item.key, path: item.path }, users });
          setEditing(false);
          setValue(null);
          setResolved(null);
          onChanged(item.id);
        }}
      />
    );
  }

  return (
    <section aria-label={t('secretRegion', item.key)} className="detail">
      <div className="row">
        <button type="button" onClick={onBack} aria-label={t('backToList')}>
          ←
        </button>
        <h2 className="mono">{item.key}</h2>
      </div>
      <p className="muted">
        {t('pathLabel')} <span className="mono">{item.path}</span>
        {item.overridden && <> · {t('overrideActive')}</>}
      </p>
      <div className="row">
        <output aria-label={t('valueLabel')} className="mono value">
          {value ?? '••••••••••••'}
        </output>
        <button
          type="button"
          onClick={() =>
            run(async () => {
              if (value !== null) setResolved(null);
              setValue(value === null ? await reveal() : null);
            })
          }
        >
          {value === null ? t('reveal') : t('hide')}
        </button>
        <button type="button" aria-label={t('copyValue')} onClick={() => run(async () => setMessage(await copySecret({ id: item.id })))}>
          {t('copy')}
        </button>
      </div>
      {value !== null && resolved && (
        <div className="row">
          {'value' in resolved ? (
            <output aria-label={t('resolvedValueLabel')} className="mono value">
              {resolved.value}
            </output>
          ) : (
            <p role="alert" aria-label={t('resolvedValueLabel')}>
              {resolved.error}
            </p>
          )}
        </div>
      )}
      {referrers && (
        <ReferrersPrompt
          id={item.id}
          from={referrers.from}
          users={referrers.users}
          onDone={(text) => {
            setReferrers(null);
            setMessage(text);
          }}
        />
      )}
      <RotationPanel item={item} target={target} onChanged={() => onChanged(item.id)} />
      <UsedBy id={item.id} version={`${item.key}\n${item.path}`} />
      {item.tags.length > 0 && (
        <ul aria-label={t('tagsLabel')} className="tags">
          {item.tags.map((tag) => (
            <li key={tag} className="tag">
              {tag}
            </li>
          ))}
        </ul>
      )}
      {item.comment && (
        <p role="note" aria-label={t('commentLabel')}>
          {item.comment}
        </p>
      )}
      <OverridePanel
        item={item}
        target={target}
        onChanged={() => {
          setValue(null);
          onChanged(item.id);
        }}
      />
      <div className="row">
        <button type="button" onClick={() => setEditing(true)}>
          {t('edit')}
        </button>
        {!confirmDelete && (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            {t('delete')}
          </button>
        )}
      </div>
      {confirmDelete && (
        <div role="alertdialog" aria-label={t('confirmDelete')} className="confirm">
          <p>{t('confirmDeleteText', item.key, item.path)}</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              autoFocus
              onClick={() =>
                run(async () => {
                  await call('vault.delete', { ...target, id: item.id });
                  onChanged(undefined);
                })
              }
            >
              {t('deleteSecret')}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
    </section>
  );
}
