import { describe, expect, it } from 'vitest';
import { allConfirmed, chooseFrame } from '../../../lib/autofill/choose-frame';
import type { FrameSurvey, SurveyedFrame } from '../../../lib/autofill/types';

const SITE = 'https://app.example';
const secret = { targets: [{ origin: SITE, subdomains: false, field: 'token' }], protected: false, envName: 'Development' };
const frame = (frameId: number, survey: Partial<FrameSurvey>): SurveyedFrame => ({
  frameId,
  survey: { origin: SITE, secure: true, focused: false, candidate: false, ...survey },
});
const reason = (fn: () => unknown) => {
  try {
    fn();
    return 'chosen';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('choosing the frame a secret goes to', () => {
  it('prefers the focused field of a frame of the site, else the top frame’s first visible field', () => {
    const frames = [frame(0, { candidate: true }), frame(7, { focused: true, candidate: true })];
    expect(chooseFrame(frames, secret)).toMatchObject({ frame: { frameId: 7 }, useFocused: true, field: 'token', warnings: [] });
    expect(chooseFrame([frame(0, { candidate: true }), frame(7, {})], secret)).toMatchObject({ frame: { frameId: 0 }, useFocused: false });
  });

  it('gives nothing to another origin, even a focused frame inside the right site', () => {
    const thirdParty = frame(3, { origin: 'https://ads.example', focused: true, candidate: true });
    expect(chooseFrame([frame(0, { candidate: true }), thirdParty], secret)).toMatchObject({ frame: { frameId: 0 } });
    expect(reason(() => chooseFrame([frame(0, {}), thirdParty], secret))).toMatch(/No visible field/);
    expect(reason(() => chooseFrame([frame(0, { origin: 'https://app.example.evil', candidate: true })], secret))).toMatch(/not for this site/);
    expect(reason(() => chooseFrame([frame(2, { focused: true, candidate: true })], secret))).toMatch(/not for this site/);
  });

  it('asks first for a protected environment, a page that is not a secure context, and a form posting elsewhere', () => {
    const plan = chooseFrame([frame(0, { candidate: true, secure: false, formOrigin: 'https://collector.example' })], { ...secret, protected: true, envName: 'Production' });
    expect(plan.warnings).toEqual([
      { kind: 'protected', envName: 'Production' },
      { kind: 'insecure', origin: SITE },
      { kind: 'form-elsewhere', origin: 'https://collector.example' },
    ]);
    expect(allConfirmed(plan.warnings, [])).toBe(false);
    expect(allConfirmed(plan.warnings, plan.warnings.slice(0, 2))).toBe(false);
    // Accepting a form to one origin is not accepting another.
    expect(allConfirmed(plan.warnings, [...plan.warnings.slice(0, 2), { kind: 'form-elsewhere', origin: 'https://other.example' }])).toBe(false);
    expect(allConfirmed(plan.warnings, plan.warnings)).toBe(true);
    expect(chooseFrame([frame(0, { candidate: true, formOrigin: SITE })], secret).warnings).toEqual([]);
  });
});
