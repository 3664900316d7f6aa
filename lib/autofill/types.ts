import type { AutofillTarget } from './targets';

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

export type FillOutcome = { filled: true } | { filled: false; confirm: FillWarning[] };

/** What the page agent reports about one frame, read in the frame's own isolated world. */
export interface FrameSurvey {
  /** The document's origin (`self.origin`): "null" for a sandboxed or opaque one. */
  origin: string;
  /** A secure context (https, or loopback http: W3C Secure Contexts §3.1). */
  secure: boolean;
  /** The user's focus is in an editable, visible field of this frame, and every frame above it is focused on this one. */
  focused: boolean;
  /** A visible editable field to fill when nothing is focused (the target's named field first). */
  candidate: boolean;
  /** The origin the chosen field's form submits to, when a form holds it. */
  formOrigin?: string;
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
  /** Where the field's form posts, as surveyed (and accepted when it is another origin); the fill is refused if it changed. */
  formOrigin?: string;
  value: string;
}

/** What a secret brings to a fill decision (never its value). */
export interface FillSecret {
  targets: readonly AutofillTarget[];
  protected: boolean;
  envName: string;
}
