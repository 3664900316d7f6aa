import type { FillSite } from './sites';

/**
 * Something the user must accept before a fill goes ahead, asked in the extension's own UI (a page
 * can neither see nor click it): a protected environment, a page without a secure connection, or a
 * form that would send the field to another origin.
 */
export type FillWarning =
  | { kind: 'protected'; envName: string }
  | { kind: 'insecure'; origin: string }
  | { kind: 'form-elsewhere'; origin: string }
  /** Inserting a secret whose websites do not include the page's origin. */
  | { kind: 'other-site'; origin: string };

/**
 * Why what the user focused gets nothing: a frame Keysmith cannot look into (another origin), a
 * shadow root, a contenteditable editor, something that is not a text field, or a field a person
 * cannot see and use.
 */
export type FocusReason = 'frame' | 'shadow' | 'editable' | 'not-field' | 'hidden';

export type FillOutcome =
  | { filled: true }
  /** Asked first; `form` names every way the form submits, so that a change meanwhile asks again. */
  | { filled: false; confirm: FillWarning[]; form: string }
  /** The user's focus is where Keysmith does not fill; `offer` is the one clear field's label, if any. */
  | { filled: false; refused: FocusReason; offer?: string };

/** The user's answers to an earlier outcome. */
export interface FillAnswer {
  /** The warnings accepted. */
  confirmed?: readonly FillWarning[];
  /** The form's submit routes the user was asked about. */
  form?: string;
  /** The label of the field the user chose instead of their focus. */
  instead?: string;
}

/** Where the focus is, as one frame sees it. */
export type FrameFocus =
  /** Nothing the user focused: nothing at all, or only what the page focused by itself. */
  | { kind: 'none' }
  /** A visible text field the user focused. */
  | { kind: 'field' }
  /** A same-origin child frame holds the focus; it answers for itself. */
  | { kind: 'frame' }
  | { kind: 'refused'; reason: FocusReason }
  /** This frame is not on the chain of focused frames from the top. */
  | { kind: 'unfocused' };

/** Every way a form may submit a field: the distinct origins, and its routes (method, URL, target) in one string. */
export interface FormDestination {
  origins: string[];
  key: string;
}

/** What the page agent reports about one frame, read in the frame's own isolated world. */
export interface FrameSurvey {
  /** The document's origin (`self.origin`): "null" for a sandboxed or opaque one. */
  origin: string;
  /** A secure context (https, or loopback http: W3C Secure Contexts §3.1). */
  secure: boolean;
  focus: FrameFocus;
  /** The label of the one clear field to fill when nothing is focused (the site's named field first). */
  candidate?: string;
  /** Where the form of the field a fill would use submits (the focused field, else the candidate). */
  form?: FormDestination;
  /** Where the candidate's form submits, when the focused field is another one. */
  candidateForm?: FormDestination;
}

/** One frame's survey as the background received it from scripting.executeScript. */
export interface SurveyedFrame {
  frameId: number;
  /** Chromium names the document, so the fill can be refused if the frame navigated meanwhile. */
  documentId?: string;
  survey: FrameSurvey;
}

/** What the background hands the agent in the one frame it chose. */
export interface FillOrder {
  /** The frame must still be this origin when the value arrives. */
  origin: string;
  useFocused: boolean;
  field?: string;
  /** The candidate's label the user chose; the fill is refused if the candidate is another field now. */
  label?: string;
  /** The form's routes as surveyed (and accepted); the fill is refused if they changed. */
  formKey: string;
  value: string;
}

/** What a secret brings to a fill decision (never its value). */
export interface FillSecret {
  /** The websites the secret may be filled on. */
  sites: readonly FillSite[];
  protected: boolean;
  envName: string;
}
