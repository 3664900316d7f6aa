import type { FillResult } from '../../lib/autofill/page';
import type { FillOrder, FrameSurvey } from '../../lib/autofill/types';
import type { CapturedSelection } from '../../lib/selection/page-selection';

/**
 * What entrypoints/page-agent.ts defines as `keysmithAgent` in a frame's isolated world. The
 * background calls it through scripting.executeScript with small functions, which are serialised
 * into the frame and so may use nothing but this global.
 */
export interface PageAgent {
  survey(field?: string): FrameSurvey;
  fill(order: FillOrder): Promise<FillResult>;
  capture(token: string): CapturedSelection;
  replace(token: string, origin: string, text: string): boolean;
}

/** The global as the serialised functions see it (undefined where the agent is not injected). */
export type AgentGlobal = { keysmithAgent?: PageAgent };

/** Which frames of a tab a script runs in: Chrome's `scripting` API calls this its injection `target`. */
export type FrameRef = Browser.scripting.InjectionTarget;

/** Puts the agent into these frames (once per document: it keeps what it remembers). */
export function injectAgent(frames: FrameRef) {
  return browser.scripting.executeScript({ target: frames, files: ['/page-agent.js'] });
}
