import { useState, type FormEvent } from 'react';
import { errorsByField, type ErrorPlacement, type FormErrors } from './field-errors';

/**
 * A form's submit: clears the errors, marks the form busy while `action` runs, shows the errors
 * `action` returns (checks made before any request) and puts a thrown error beside its control.
 *
 * ```tsx
 * const { busy, errors, handleSubmit } = useSubmit({ fields: { current: 'current' } });
 * <form onSubmit={handleSubmit(async () => { if (!current) return { current: 'Enter it' }; await call(…); })}>
 * ```
 */
export function useSubmit(placement: ErrorPlacement = {}, onError?: (error: unknown) => void) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});

  const handleSubmit = (action: () => Promise<FormErrors | void>) => async (event?: FormEvent) => {
    event?.preventDefault();
    setErrors({});
    setBusy(true);
    try {
      const found = await action();
      if (found && Object.keys(found).length > 0) setErrors(found);
    } catch (error) {
      setErrors(errorsByField(error, placement));
      onError?.(error);
    } finally {
      setBusy(false);
    }
  };

  return { busy, errors, setErrors, handleSubmit };
}
