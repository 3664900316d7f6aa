import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { SelectionView } from '../../lib/selection/types';
import { errorMessage } from '../ui/field-errors';
import { t } from '../ui/i18n';
import { UnlockScreen } from '../vault/UnlockScreen';
import { useVaultStatus } from '../vault/useVaultStatus';
import { DecryptSelection } from './DecryptSelection';
import { EncryptSelection } from './EncryptSelection';
import { InsertSecret } from './InsertSecret';

/** The window a right-click opens: unlock if needed, then finish what the menu asked. */
export function SelectionApp({ jobId }: { jobId: string }) {
  const { status, refresh } = useVaultStatus();
  /** The job as seen while locked or unlocked: unlocked, it lists the vault's keys or secrets. */
  const [view, setView] = useState<SelectionView & { unlocked: boolean }>();
  const [error, setError] = useState('');
  const unlocked = status?.unlocked;
  const load = useCallback(async () => {
    if (unlocked === undefined) return;
    try {
      setView({ ...(await call('selection.view', { jobId })), unlocked });
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [jobId, unlocked]);
  useEffect(() => void load(), [load]);

  let body: ReactNode;
  if (error)
    body = (
      <p role="alert" className="field-error">
        {error}
      </p>
    );
  else if (!status || !view || view.unlocked !== status.unlocked) body = <p role="status">{t('loading')}</p>;
  else if (!status.initialised) body = <p role="alert">{t('selectionNoVault')}</p>;
  else if (!status.unlocked)
    body = (
      <>
        <p>{t('selectionUnlockFirst')}</p>
        <UnlockScreen onDone={() => void refresh()} />
      </>
    );
  else if (view.action === 'encrypt') body = <EncryptSelection jobId={jobId} view={view} />;
  else if (view.action === 'decrypt') body = <DecryptSelection jobId={jobId} view={view} />;
  else body = <InsertSecret jobId={jobId} view={view} />;

  return (
    <main className="selection-window">
      <h1>{t('extName')}</h1>
      {view?.origin && <p className="muted">{t('selectionOn', view.origin)}</p>}
      {view?.refused && <p className="muted">{t('selectionRefusedPage')}</p>}
      {body}
      <button type="button" onClick={() => window.close()}>
        {t('close')}
      </button>
    </main>
  );
}
