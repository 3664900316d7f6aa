import { answered, chooseFrame } from '../../lib/autofill/choose-frame';
import type { FillAnswer, FillOrder, FillOutcome, FillSecret, FrameSurvey, SurveyedFrame } from '../../lib/autofill/types';
import { injectAgent, type AgentGlobal, type FrameRef } from './page-agent-api';
import { msg } from '../../lib/i18n';
import { VaultError } from '../../lib/vault/errors';
import { matchesSite } from '../../lib/autofill/sites';

/**
 * The tab under the user's eyes: the active tab of the last focused browser window (the popup's own
 * window is not a "normal" one). Its URL is visible only while the user has granted activeTab, by
 * opening Keysmith on it.
 */
async function activeTab(): Promise<{ id: number; url: string } | undefined> {
  const window = await browser.windows.getLastFocused({ windowTypes: ['normal'] }).catch(() => undefined);
  if (window?.id === undefined) return undefined;
  const [tab] = await browser.tabs.query({ active: true, windowId: window.id });
  return tab?.id !== undefined && tab.url ? { id: tab.id, url: tab.url } : undefined;
}

function webOrigin(url: string): string | undefined {
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
}

/** Fills secrets into the page of the active tab, on the user's request from the popup. */
export function createPageFill() {
  return {
    /** The active tab's origin, when Keysmith may act on it. */
    async origin(): Promise<string | null> {
      const tab = await activeTab();
      return tab ? (webOrigin(tab.url) ?? null) : null;
    },

    /** Into the active tab, or into `tabId` (a shortcut names the tab it was pressed on). */
    async fill(secret: FillSecret, value: () => Promise<string>, answer: FillAnswer = {}, tabId?: number): Promise<FillOutcome> {
      const tab =
        tabId === undefined
          ? await activeTab()
          : await browser.tabs.get(tabId).then(
              (t) => (t.url ? { id: tabId, url: t.url } : undefined),
              () => undefined,
            );
      if (!tab) throw new VaultError('not_found', msg('errFillNoAccess'));
      const topOrigin = webOrigin(tab.url) ?? '';
      const field = secret.sites.find((t) => t.field && matchesSite(t, topOrigin))?.field;
      const frames = await survey(tab.id, field);
      const plan = chooseFrame(frames, secret, answer);
      // The user's focus is where Keysmith does not fill: say why, and name the one clear field instead.
      if (plan.kind === 'refused') return { filled: false, refused: plan.reason, ...(plan.offer ? { offer: plan.offer } : {}) };
      if (!answered(plan, answer)) return { filled: false, confirm: plan.warnings, form: plan.formKey };
      const order: FillOrder = {
        origin: plan.frame.survey.origin,
        useFocused: plan.useFocused,
        formKey: plan.formKey,
        value: await value(),
      };
      if (plan.field) order.field = plan.field;
      if (plan.label !== undefined) order.label = plan.label;
      // Only the chosen frame receives the value; in Chromium only the very document surveyed.
      const frame: FrameRef = plan.frame.documentId
        ? { tabId: tab.id, documentIds: [plan.frame.documentId] }
        : { tabId: tab.id, frameIds: [plan.frame.frameId] };
      const [result] = await browser.scripting
        .executeScript({
          target: frame,
          func: (o: FillOrder) => (globalThis as unknown as AgentGlobal).keysmithAgent?.fill(o) ?? 'changed',
          args: [order],
        } as never)
        .catch(() => []);
      // The browser says the field is covered, filtered or not drawn: as hidden as any field we refuse.
      if (result?.result === 'hidden') throw new VaultError('not_found', msg('errFillNoField'));
      if (result?.result !== 'filled') throw new VaultError('not_found', msg('errFillFieldGone'));
      return { filled: true };
    },
  };
}

/** Injects the agent into every frame Keysmith may reach in the tab, and asks each what it has. */
async function survey(tabId: number, field: string | undefined): Promise<SurveyedFrame[]> {
  try {
    await injectAgent({ tabId, allFrames: true });
    const results = await browser.scripting.executeScript({
      target: { tabId, allFrames: true },
      func: (f: string | null) => (globalThis as unknown as AgentGlobal).keysmithAgent?.survey(f ?? undefined) ?? null,
      // Arguments travel as JSON: null, not undefined.
      args: [field ?? null],
    } as never);
    return results.flatMap((r) => {
      const s = r.result as FrameSurvey | null | undefined;
      if (!s) return [];
      const documentId = (r as { documentId?: string }).documentId;
      return [{ frameId: r.frameId, ...(documentId ? { documentId } : {}), survey: s }];
    });
  } catch {
    throw new VaultError('not_found', msg('errFillForbiddenPage'));
  }
}
