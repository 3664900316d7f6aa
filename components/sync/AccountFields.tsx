import { Field } from '../ui/Field';
import type { FormErrors } from '../ui/field-errors';
import { t } from '../ui/i18n';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

export interface AccountInput {
  serverUrl: string;
  email: string;
  masterPassword: string;
}

/** Server address, e-mail and master password: what creating an account and signing in both ask for. */
export function AccountFields({
  value,
  onChange,
  errors,
  passwordLabel,
}: {
  value: AccountInput;
  onChange: (next: AccountInput) => void;
  errors: FormErrors;
  passwordLabel: string;
}) {
  return (
    <>
      <Field label={t('syncServerUrl')} error={errors.serverUrl} hint={t('syncServerUrlHint')}>
        {(props) => (
          <input
            {...props}
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            value={value.serverUrl}
            onChange={(e) => onChange({ ...value, serverUrl: e.target.value })}
          />
        )}
      </Field>
      <Field label={t('syncEmail')} error={errors.email}>
        {(props) => (
          <input
            {...props}
            type="email"
            autoComplete="username"
            value={value.email}
            onChange={(e) => onChange({ ...value, email: e.target.value })}
          />
        )}
      </Field>
      <Field label={passwordLabel} error={errors.masterPassword}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            value={value.masterPassword}
            onChange={(e) => onChange({ ...value, masterPassword: e.target.value })}
          />
        )}
      </Field>
    </>
  );
}
