// Which frame of the tab gets a secret, and what the user must accept first (pure: decided from surveys).
import { VaultError } from '../vault/errors';
import { msg } from '../i18n';
import { matchesAny } from './targets';
import type { FillSecret, FillWarning, SurveyedFrame } from './types';

export interface FillPlan {
  frame: SurveyedFrame;
  useFocused: boolean;
  field?: string;
  warnings: FillWarning[];
}

/**
 * The focused field of the frame the user last focused, if that frame is one of the secret's
 * origins; otherwise the first visible field of the top frame, if the top frame is. A frame of any
 * other origin gets nothing, even inside the right site (a third-party iframe is another party).
 */
export function chooseFrame(frames: readonly SurveyedFrame[], secret: FillSecret): FillPlan {
  const top = frames.find((f) => f.frameId === 0);
  if (!top || !matchesAny(secret.targets, top.survey.origin)) {
    throw new VaultError('not_found', msg('errFillNotForSite'));
  }
  const focused = frames.find((f) => f.survey.focused && matchesAny(secret.targets, f.survey.origin));
  const frame = focused ?? (top.survey.candidate ? top : undefined);
  if (!frame) throw new VaultError('not_found', msg('errFillNoField'));
  const field = secret.targets.find((t) => t.field && matchesAny([t], frame.survey.origin))?.field;
  const warnings: FillWarning[] = [];
  if (secret.protected) warnings.push({ kind: 'protected', envName: secret.envName });
  if (!frame.survey.secure) warnings.push({ kind: 'insecure', origin: frame.survey.origin });
  const posts = frame.survey.formOrigin;
  if (posts !== undefined && posts !== frame.survey.origin) warnings.push({ kind: 'form-elsewhere', origin: posts });
  return { frame, useFocused: focused !== undefined, ...(field ? { field } : {}), warnings };
}

/** Every warning was accepted by the user (the same kind, about the same origin or environment). */
export function allConfirmed(warnings: readonly FillWarning[], confirmed: readonly FillWarning[] = []): boolean {
  return warnings.every((w) => confirmed.some((c) => JSON.stringify(c) === JSON.stringify(w)));
}
