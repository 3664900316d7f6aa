import { useState, type FormEvent } from 'react';
import { errorMessage } from '../ui/errors';
import { Field } from '../ui/Field';

interface NewPlaceFormProps {
  what: 'safe' | 'environment';
  onCreate: (name: string, isProtected: boolean) => Promise<void>;
  onCancel: () => void;
}

/** Names a new safe, or a new environment of the current safe (optionally protected). */
export function NewPlaceForm({ what, onCreate, onCancel }: NewPlaceFormProps) {
  const [name, setName] = useState('');
  const [isProtected, setProtected] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await onCreate(name, isProtected);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const label = what === 'safe' ? 'Safe name' : 'Environment name';
  return (
    <form noValidate onSubmit={submit} aria-label={`New ${what}`} className="new-place">
      <Field label={label} error={error}>
        {(props) => <input {...props} spellCheck={false} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {what === 'environment' && (
        <label className="row">
          <input type="checkbox" checked={isProtected} onChange={(e) => setProtected(e.target.checked)} />
          Protected (like Production)
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary">Create {what}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
