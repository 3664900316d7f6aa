import { useState } from 'react';
import { SetupScreen } from '../vault/SetupScreen';
import { t } from '../ui/i18n';
import { SignInForm } from './SignInForm';

/** First run: a new vault, or this device joining a vault kept on a sync server. */
export function FirstRunScreen({ onDone }: { onDone: () => void }) {
  const [signIn, setSignIn] = useState(false);
  if (signIn) return <SignInForm onDone={onDone} onCancel={() => setSignIn(false)} />;
  return (
    <>
      <SetupScreen onDone={onDone} />
      <p className="note">
        {t('syncHaveAccount')}{' '}
        <button type="button" className="link" onClick={() => setSignIn(true)}>
          {t('syncSignInInstead')}
        </button>
      </p>
    </>
  );
}
