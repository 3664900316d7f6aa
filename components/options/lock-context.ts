import { createContext, useCallback, useContext } from 'react';
import { RemoteError } from '../../lib/messages/reply';

/**
 * The vault can lock under an open options page (idle timeout, the popup's Lock button).
 * A request that comes back 'locked' tells the page, which then shows the unlock screen
 * instead of leaving every form to fail one by one.
 */
export const LockContext = createContext<{ onLocked: () => void }>({ onLocked: () => undefined });

export function useLockAware() {
  const { onLocked } = useContext(LockContext);
  return useCallback(
    <T>(request: Promise<T>): Promise<T> =>
      request.catch((error: unknown) => {
        if (error instanceof RemoteError && error.code === 'locked') onLocked();
        throw error;
      }),
    [onLocked],
  );
}
