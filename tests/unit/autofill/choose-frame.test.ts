import { describe, expect, it } from 'vitest';
import { allConfirmed, answered, chooseFrame, type FillPlan } from '../../../lib/autofill/choose-frame';
import type { FrameSurvey, SurveyedFrame } from '../../../lib/autofill/types';

const SITE = 'https://app.example';
const secret = { sites: [{ origin: SITE, subdomains: false, field: 'token' }], protected: false, envName: 'Development' };
const frame = (frameId: number, survey: Partial<FrameSurvey>): SurveyedFrame => ({
  frameId,
  survey: { origin: SITE, secure: true, focus: { kind: frameId === 0 ? 'none' : 'unfocused' }, ...survey },
});
const reason = (fn: () => unknown) => {
  try {
    fn();
    return 'chosen';
  } catch (error) {
    return (error as Error).message;
  }
};
const filling = (plan: FillPlan) => {
  if (plan.kind !== 'fill') throw new Error(`refused: ${plan.reason}`);
  return plan;
};

describe('choosing the field a secret goes to: the one the user chose, or ask', () => {
  it('fills the field the user focused, in a same-origin frame too; with nothing focused, the top frame’s one clear field', () => {
    const frames = [frame(0, { focus: { kind: 'frame' }, candidate: 'API token' }), frame(7, { focus: { kind: 'field' } })];
    expect(chooseFrame(frames, secret)).toMatchObject({
      kind: 'fill',
      frame: { frameId: 7 },
      useFocused: true,
      field: 'token',
      warnings: [],
    });
    expect(chooseFrame([frame(0, { candidate: 'API token' }), frame(7, {})], secret)).toMatchObject({
      kind: 'fill',
      frame: { frameId: 0 },
      useFocused: false,
    });
    expect(reason(() => chooseFrame([frame(0, {})], secret))).toMatch(/No visible field/);
  });

  it('refuses when the focus is where Keysmith does not fill, naming the clear field instead of falling back to it', () => {
    for (const why of ['frame', 'shadow', 'editable', 'not-field', 'hidden'] as const) {
      const frames = [frame(0, { focus: { kind: 'refused', reason: why }, candidate: 'Public comment' })];
      expect(chooseFrame(frames, secret)).toEqual({ kind: 'refused', reason: why, offer: 'Public comment' });
      expect(chooseFrame([frame(0, { focus: { kind: 'refused', reason: why } })], secret)).toEqual({ kind: 'refused', reason: why });
      // Only the user's explicit pick of that very field fills it.
      expect(chooseFrame(frames, secret, { instead: 'Public comment' })).toMatchObject({
        kind: 'fill',
        frame: { frameId: 0 },
        useFocused: false,
        label: 'Public comment',
      });
      expect(reason(() => chooseFrame(frames, secret, { instead: 'Title' }))).toMatch(/changed or disappeared/);
    }
  });

  it('a focused frame of another origin, or one the chain cannot reach, is a refusal, never the top frame’s field', () => {
    const thirdParty = frame(3, { origin: 'https://ads.example', focus: { kind: 'field' } });
    expect(chooseFrame([frame(0, { focus: { kind: 'frame' }, candidate: 'Title' }), thirdParty], secret)).toEqual({
      kind: 'refused',
      reason: 'frame',
      offer: 'Title',
    });
    expect(chooseFrame([frame(0, { focus: { kind: 'frame' }, candidate: 'Title' })], secret)).toEqual({
      kind: 'refused',
      reason: 'frame',
      offer: 'Title',
    });
    expect(reason(() => chooseFrame([frame(0, { origin: 'https://app.example.evil', candidate: 'x' })], secret))).toMatch(
      /not for this site/,
    );
    expect(reason(() => chooseFrame([frame(2, { focus: { kind: 'field' } })], secret))).toMatch(/not for this site/);
  });

  it('asks first for a protected environment, an insecure page and every origin a form submits to, bound to the form’s routes', () => {
    const form = { origins: [SITE, 'https://collector.example'], key: 'post https://collector.example/x _self' };
    const plan = filling(
      chooseFrame([frame(0, { candidate: 'API token', secure: false, candidateForm: form })], {
        ...secret,
        protected: true,
        envName: 'Production',
      }),
    );
    expect(plan.warnings).toEqual([
      { kind: 'protected', envName: 'Production' },
      { kind: 'insecure', origin: SITE },
      { kind: 'form-elsewhere', origin: 'https://collector.example' },
    ]);
    expect(allConfirmed(plan.warnings, plan.warnings.slice(0, 2))).toBe(false);
    // Accepting a form to one origin is not accepting another.
    expect(allConfirmed(plan.warnings, [...plan.warnings.slice(0, 2), { kind: 'form-elsewhere', origin: 'https://other.example' }])).toBe(
      false,
    );
    expect(answered(plan, { confirmed: plan.warnings, form: form.key })).toBe(true);
    // The same warnings about routes that changed meanwhile (a formtarget, a formmethod) ask again.
    expect(answered(plan, { confirmed: plan.warnings, form: 'get https://collector.example/x _blank' })).toBe(false);
    expect(
      filling(chooseFrame([frame(0, { candidate: 'API token', candidateForm: { origins: [SITE], key: '' } })], secret)).warnings,
    ).toEqual([]);
  });
});
