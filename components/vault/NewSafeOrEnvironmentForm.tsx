import { useState } from 'react';
import { useSubmit } from '../ui/use-submit';
import { Field } from '../ui/Field';
import { t } from '../ui/i18n';

interface NewSafeOrEnvironmentFormProps {
  what: 'safe' | 'environment';
  onCreate: (name: string, isProtected: boolean) => Promise<void>;
  onCancel: () => void;
}

/** Names a new safe, or a new environment of the current safe (optionally protected). */
export function NewSafeOrEnvironmentForm({ what, onCreate, onCancel }: NewSafeOrEnvironmentFormProps) {
  const [name, setName] = useState('');
  const [isProtected, setProtected] = useState(false);
  const { busy, errors, handleSubmit } = useSubmit({ fallback: 'name' });
  const submit = handleSubmit(() => onCreate(name, isProtected));

  const safe = what === 'safe';
  return (
    <form noValidate onSubmit={submit} aria-label={t(safe ? 'newSafe' : 'newEnvironment')} className="new-safe-or-env" aria-busy={busy}>
      <Field label={t(safe ? 'safeName' : 'environmentName')} error={errors.name}>
        {(props) => <input {...props} spellCheck={false} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {what === 'environment' && (
        <label className="row">
          <input type="checkbox" checked={isProtected} onChange={(e) => setProtected(e.target.checked)} />
          {t('protectedLikeProduction')}
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t(safe ? 'createSafe' : 'createEnvironment')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
