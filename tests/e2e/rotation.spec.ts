import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { VaultPage } from './pages/vault';

const MASTER = 'correct horse battery staple 42';

/** The toolbar badge as the browser draws it (Playwright cannot see the toolbar itself). */
async function badge(context: BrowserContext): Promise<string> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return worker.evaluate(() =>
    (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}),
  );
}

/** A day on the user's calendar, `days` from today, as the date field takes it. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('a due reminder shows at the top of the list and as a count on the badge, checked daily, and Mark as rotated sets the next date', async ({
  context,
  extensionId,
}) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);

  // One overdue (a date in the past, every 90 days), one far ahead (more than a year).
  await vault.button('New secret').click();
  await vault.field('Key').fill('STRIPE_KEY');
  await vault.field('Value').fill('sk_live_rotate_me');
  await vault.field('Rotate by').fill('2020-01-31');
  await vault.field('Rotate every (days)').fill('90');
  await vault.button('Save').click();
  await expect(vault.root.getByRole('status').filter({ hasText: 'Saved STRIPE_KEY.' })).toBeVisible();
  await vault.button('New secret').click();
  await vault.field('Key').fill('LATER_KEY');
  await vault.field('Value').fill('later');
  await vault.field('Rotate by').fill(dayFromToday(800));
  await vault.button('Save').click();
  await expect(vault.root.getByRole('status').filter({ hasText: 'Saved LATER_KEY.' })).toBeVisible();

  const due = vault.root.getByRole('region', { name: 'Due for rotation' });
  await expect(due.getByRole('listitem')).toHaveText([/^STRIPE_KEY Personal · Development · \/ · 2020-01-31$/]);
  await expect.poll(() => badge(context)).toBe('1');

  // Locked: the dates cannot be read, and the badge shows nothing rather than a stale count.
  await vault.button('Lock').click();
  await expect.poll(() => badge(context)).toBe('');
  await vault.unlock(MASTER);
  await vault.expectUnlocked();
  await expect.poll(() => badge(context)).toBe('1');

  // The daily alarm is armed, and its check counts with no Keysmith page open.
  const worker = context.serviceWorkers()[0]!;
  const alarm = await worker.evaluate(() =>
    (
      globalThis as unknown as { chrome: { alarms: { get(n: string): Promise<{ periodInMinutes?: number } | undefined> } } }
    ).chrome.alarms.get('keysmith-rotation'),
  );
  expect(alarm?.periodInMinutes).toBe(24 * 60);
  await vault.page.close();
  await worker.evaluate(async () => {
    const chrome = (
      globalThis as unknown as {
        chrome: { action: { setBadgeText(d: object): Promise<void> }; alarms: { create(n: string, o: object): Promise<void> } };
      }
    ).chrome;
    await chrome.action.setBadgeText({ text: '' });
    // An unpacked extension's alarm may fire this soon: the same alarm, due now.
    await chrome.alarms.create('keysmith-rotation', { when: Date.now() + 200, periodInMinutes: 24 * 60 });
  });
  await expect.poll(() => badge(context), { timeout: 10_000 }).toBe('1');

  // Mark as rotated: the next date is one period from today, and nothing is due any more.
  const again = await VaultPage.open(await context.newPage(), extensionId);
  await again.root.getByRole('region', { name: 'Due for rotation' }).getByRole('button', { name: 'STRIPE_KEY' }).click();
  const reminder = again.root.getByRole('region', { name: 'Rotation reminder' });
  await expect(reminder).toContainText('Due for rotation since 2020-01-31 · every 90 days');
  await reminder.getByRole('button', { name: 'Mark as rotated' }).click();
  await expect(reminder).toContainText(`Rotate by ${dayFromToday(90)} · every 90 days`);
  await expect.poll(() => badge(context)).toBe('');
  await again.button('Back to the list').click();
  await expect(again.root.getByRole('region', { name: 'Due for rotation' })).toHaveCount(0);
});
