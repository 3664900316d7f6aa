import { useState } from 'react';
import { call } from '../../adapters/messenger';
import type { EnvironmentSummary, SafeSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { Field, FormError } from '../ui/Field';
import { t } from '../ui/i18n';

interface ManageSafeProps {
  safe: SafeSummary;
  /** Deleting the last safe would leave the popup nothing to show. */
  canDelete: boolean;
  /** After any change: read the safes again (`deleted`: the safe is gone). */
  onChanged: (deleted?: boolean) => Promise<void>;
  onBack: () => void;
}

/**
 * Rename or delete a safe; rename, protect or unprotect, and delete its environments. A deletion
 * first says what it removes, in counts read from the vault. Every change syncs like any other.
 */
export function ManageSafe({ safe, canDelete, onChanged, onBack }: ManageSafeProps) {
  const [name, setName] = useState(safe.name);
  const [error, setError] = useState('');
  const [confirm, setConfirm] = useState<{ title: string; text: string; run: () => Promise<void> } | null>(null);
  async function run(action: () => Promise<void>) {
    setError('');
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const askDeleteSafe = () =>
    run(async () => {
      const counts = await call('vault.countSecrets', { safeId: safe.id });
      setConfirm({
        title: t('deleteSafe'),
        text: t('confirmDeleteSafe', safe.name, counts.environments, counts.secrets),
        run: async () => {
          await call('vault.deleteSafe', { id: safe.id });
          await onChanged(true);
        },
      });
    });
  const askDeleteEnv = (env: EnvironmentSummary) =>
    run(async () => {
      const counts = await call('vault.countSecrets', { envId: env.id });
      setConfirm({
        title: t('deleteEnvironment', env.name),
        text: t('confirmDeleteEnv', env.name, counts.secrets),
        run: async () => {
          await call('vault.deleteEnvironment', { id: env.id });
          await onChanged();
        },
      });
    });

  return (
    <section aria-label={t('manageSafeTitle', safe.name)} className="manage-safe detail">
      <div className="row">
        <button type="button" onClick={onBack} aria-label={t('backToList')}>
          ←
        </button>
        <h2>{t('manageSafeTitle', safe.name)}</h2>
      </div>
      <form
        noValidate
        aria-label={t('renameSafe')}
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await call('vault.renameSafe', { id: safe.id, name });
            await onChanged();
          });
        }}
      >
        <Field label={t('safeName')}>
          {(props) => <input {...props} spellCheck={false} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <button type="submit">{t('renameSafe')}</button>
      </form>
      <h3>{t('environmentsHeading')}</h3>
      {safe.environments
        .filter((env) => !env.error)
        .map((env) => (
          <EnvironmentRow
            key={env.id}
            env={env}
            canDelete={safe.environments.length > 1}
            onSave={(change) =>
              run(async () => {
                await call('vault.updateEnvironment', { id: env.id, ...change });
                await onChanged();
              })
            }
            onDelete={() => askDeleteEnv(env)}
          />
        ))}
      {canDelete && (
        <button type="button" className="danger" onClick={askDeleteSafe}>
          {t('deleteSafe')}
        </button>
      )}
      {confirm && (
        <div role="alertdialog" aria-label={confirm.title} className="confirm">
          <p>{confirm.text}</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              autoFocus
              onClick={() =>
                run(async () => {
                  const go = confirm.run;
                  setConfirm(null);
                  await go();
                })
              }
            >
              {t('delete')}
            </button>
            <button type="button" onClick={() => setConfirm(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <FormError message={error} />
    </section>
  );
}

function EnvironmentRow({
  env,
  canDelete,
  onSave,
  onDelete,
}: {
  env: EnvironmentSummary;
  canDelete: boolean;
  onSave: (change: { name: string; protected: boolean }) => Promise<void>;
  onDelete: () => void;
}) {
  const [name, setName] = useState(env.name);
  const [isProtected, setProtected] = useState(env.protected);
  return (
    <form
      noValidate
      aria-label={env.name}
      className={`env-row${env.protected ? ' protected' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void onSave({ name, protected: isProtected });
      }}
    >
      <Field label={t('envNameOf', env.name)}>
        {(props) => <input {...props} spellCheck={false} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={isProtected} onChange={(e) => setProtected(e.target.checked)} />
        {t('envProtectedOf', env.name)}
      </label>
      <div className="row">
        <button type="submit">{t('saveEnvironment', env.name)}</button>
        {canDelete && (
          <button type="button" className="danger" onClick={onDelete}>
            {t('deleteEnvironment', env.name)}
          </button>
        )}
      </div>
    </form>
  );
}
