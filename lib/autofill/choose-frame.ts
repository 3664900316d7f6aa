// Which frame and field of the tab get a secret, and what the user must accept first (pure: decided from surveys).
import { VaultError } from '../vault/errors';
import { msg } from '../i18n';
import { matchesAny } from './sites';
import type { FillAnswer, FillSecret, FillWarning, FocusReason, FormDestination, FrameFocus, SurveyedFrame } from './types';

export type FillPlan =
  | { kind: 'fill'; frame: SurveyedFrame; useFocused: boolean; field?: string; label?: string; warnings: FillWarning[]; formKey: string }
  | { kind: 'refused'; reason: FocusReason; offer?: string };

/**
 * The field the user chose, or ask. The user's focus decides: a visible text field they focused, in a
 * frame of one of the secret's origins, is filled. Focus on anything Keysmith cannot fill (a frame of
 * another origin, a shadow root, a contenteditable editor, something that is not a text field, a field
 * no person can see) fills nothing: the plan is a refusal that names the top frame's one clear field,
 * which is filled only when the user picks it by that name (`answer.instead`). Never a silent fallback
 * past the user's focus: that is how a secret ends up in a visible "Public comment" box and is
 * published. With nothing focused, the top frame's one clear field is filled (the secret's named
 * field, else the only password field, else the only text field).
 */
export function chooseFrame(frames: readonly SurveyedFrame[], secret: FillSecret, answer: FillAnswer = {}): FillPlan {
  const top = frames.find((f) => f.frameId === 0);
  if (!top || !matchesAny(secret.sites, top.survey.origin)) {
    throw new VaultError('not_found', msg('errFillNotForSite'));
  }
  const { frame: focusFrame, focus } = followFocus(frames, top);
  const onCandidate = () => {
    if (!top.survey.candidate) throw new VaultError('not_found', msg('errFillNoField'));
    return plan(top, secret, false, top.survey.candidateForm, top.survey.candidate);
  };
  if (answer.instead !== undefined) {
    // The user picked the offered field by its name: it must still be that one.
    if (top.survey.candidate !== answer.instead) throw new VaultError('not_found', msg('errFillFieldGone'));
    return onCandidate();
  }
  if (focus.kind === 'none') return onCandidate();
  if (focus.kind === 'field' && matchesAny(secret.sites, focusFrame.survey.origin)) {
    return plan(focusFrame, secret, true, focusFrame.survey.form);
  }
  const reason: FocusReason = focus.kind === 'refused' ? focus.reason : 'frame';
  return { kind: 'refused', reason, ...(top.survey.candidate ? { offer: top.survey.candidate } : {}) };
}

/**
 * The frame at the end of the focus chain: each frame on it says whether a same-origin child holds
 * the focus. A chain that ends in a frame Keysmith has no survey of (not injected: another origin)
 * is focus in a frame it cannot see into.
 */
function followFocus(frames: readonly SurveyedFrame[], top: SurveyedFrame): { frame: SurveyedFrame; focus: FrameFocus } {
  if (top.survey.focus.kind !== 'frame') return { frame: top, focus: top.survey.focus };
  const ends = frames.filter((f) => f.frameId !== 0 && f.survey.focus.kind !== 'unfocused' && f.survey.focus.kind !== 'frame');
  if (ends.length !== 1) return { frame: top, focus: { kind: 'refused', reason: 'frame' } };
  return { frame: ends[0]!, focus: ends[0]!.survey.focus };
}

function plan(frame: SurveyedFrame, secret: FillSecret, useFocused: boolean, form: FormDestination | undefined, label?: string): FillPlan {
  const field = secret.sites.find((t) => t.field && matchesAny([t], frame.survey.origin))?.field;
  const warnings: FillWarning[] = [];
  if (secret.protected) warnings.push({ kind: 'protected', envName: secret.envName });
  if (!frame.survey.secure) warnings.push({ kind: 'insecure', origin: frame.survey.origin });
  for (const origin of form?.origins ?? []) {
    if (origin !== frame.survey.origin) warnings.push({ kind: 'form-elsewhere', origin });
  }
  return {
    kind: 'fill',
    frame,
    useFocused,
    warnings,
    formKey: form?.key ?? '',
    ...(field ? { field } : {}),
    ...(label !== undefined ? { label } : {}),
  };
}

/** Every warning was accepted by the user (the same kind, about the same origin or environment). */
export function allConfirmed(warnings: readonly FillWarning[], confirmed: readonly FillWarning[] = []): boolean {
  return warnings.every((w) => confirmed.some((c) => JSON.stringify(c) === JSON.stringify(w)));
}

/**
 * Whether the fill may go ahead without asking: nothing to accept, or everything accepted about the
 * very form routes the user was shown (a form retargeted meanwhile asks again).
 */
export function answered(plan: { warnings: FillWarning[]; formKey: string }, answer: FillAnswer): boolean {
  if (plan.warnings.length === 0) return true;
  return allConfirmed(plan.warnings, answer.confirmed) && answer.form === plan.formKey;
}
