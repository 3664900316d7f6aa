import type { FillWarning } from '../autofill/types';
import type { SearchHit } from '../vault/types';

export type SelectionAction = 'encrypt' | 'decrypt' | 'insert';

/**
 * A right-click the user made, waiting in the background for them to finish in Keysmith's window.
 * Only the background holds it; the window sees `SelectionView`.
 */
export interface SelectionJob {
  id: string;
  action: SelectionAction;
  origin: string;
  secure: boolean;
  /** The selected text (empty for an insert at the caret). */
  text: string;
  editable: boolean;
  /** The browser kept Keysmith out of the page: the menu's copy of the text, nothing written back. */
  refused?: boolean;
  /** What a decrypt found, kept so "Replace in page" needs nothing from the window. */
  plaintext?: string;
}

/** What Keysmith's window is told about a job. */
export interface SelectionView {
  action: SelectionAction;
  origin: string;
  editable: boolean;
  refused: boolean;
  /** Characters selected. */
  length: number;
  /** The start of the text an encrypt will seal. */
  preview: string;
  /** Unlocked only: the encryption keys (encrypt) or this site's secrets (insert). */
  keys: SearchHit[];
  site: SearchHit[];
}

export type SelectionOutcome =
  | { done: 'replaced' }
  | { done: 'copied'; clearAfterSeconds: number | null }
  | { done: 'confirm'; confirm: FillWarning[] };
