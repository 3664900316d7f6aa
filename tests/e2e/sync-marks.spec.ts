// Conflict marks in real Chromium: two profiles edit one secret while the server is away. The one
// that syncs first holds the server's copy and would see nothing wrong by itself; the second finds
// the conflict and leaves a mark. The first device's open popup then shows the conflict too, with
// both versions and when each was written, and settling it there ends it on the finder as well.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { expect, test } from './fixtures';
import { sendFromPage } from './pages/vault';
import { startServer } from './server-process';
import { DEV, type Device, linkTwo, MASTER, openDevice, reveal, stopServer, syncLine } from './sync-devices';

const WAITS_FOR_CHOICE = '1 secret changed here and on another device waits for your choice';

/**
 * Two devices linked, then DB_URL edited on both while the server is away: A syncs first, B second
 * and finds the conflict. `settle` runs once both popups show it; everything is closed after.
 */
async function withConflictOnBoth(settle: (a: Device, b: Device) => Promise<void>, opts: { override?: true } = {}): Promise<void> {
  // The edits change DB_URL itself, or with `override` the user's personal value for it.
  const edit = (value: string) => ({ ...DEV, key: 'DB_URL', value, ...opts });
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-marks-server-'));
  const port = await freePort();
  let server = await startServer(port, dataDir);
  const devices: Device[] = [];
  try {
    const [a, b] = (await Promise.all([openDevice(), openDevice()])) as [Device, Device];
    devices.push(a, b);
    await a.popup.setup(MASTER);
    await a.popup.addSecret({ key: 'DB_URL', value: 'postgres://one' });
    await linkTwo(a, b, `http://127.0.0.1:${port}`, 'marks@example.test');
    await expect.poll(() => reveal(b.popup.page, 'DB_URL')).toBe('postgres://one');

    // The server stops. B edits DB_URL and its vault locks with the edit unsent (a laptop closed);
    // A edits DB_URL too.
    await stopServer(server);
    await sendFromPage(b.popup.page, 'vault.update', edit('postgres://from-b'));
    await expect(syncLine(b.popup.page)).toContainText('Server unreachable — 1 change will be sent when it is back');
    await b.popup.page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(b.popup.field('Master password')).toBeVisible();
    await sendFromPage(a.popup.page, 'vault.update', edit('postgres://from-a'));

    // The server returns: A syncs first (Sync now in its popup) and holds the server's copy, its own.
    server = await startServer(port, dataDir);
    await syncLine(a.popup.page).getByRole('button', { name: 'Sync now' }).click();
    await expect(syncLine(a.popup.page)).toContainText('Synced at');
    await expect(syncLine(a.popup.page)).not.toContainText('change');

    // B unlocks and syncs second: it finds the conflict, and its held edit waits for the user.
    await b.popup.unlock(MASTER);
    await b.popup.expectUnlocked();
    await expect(syncLine(b.popup.page)).toContainText(WAITS_FOR_CHOICE);
    await expect(syncLine(b.popup.page)).toContainText('1 change made here waits for your choice');
    await expect(syncLine(b.popup.page)).not.toContainText('waiting to be sent');
    await expect(syncLine(b.popup.page)).not.toContainText('will be sent');

    // A's open popup shows it too, with no click there: the mark came by the live connection.
    await expect(syncLine(a.popup.page)).toContainText(WAITS_FOR_CHOICE);
    await expect(syncLine(a.popup.page)).not.toContainText('made here');
    await expect(a.popup.option('DB_URL')).toContainText('changed on two devices');

    await settle(a, b);
  } finally {
    for (const device of devices) await device.context.close();
    await stopServer(server);
    for (const dir of [...devices.map((d) => d.dir), dataDir]) rmSync(dir, { recursive: true, force: true });
  }
}

/** One device's conflicts panel, values revealed: each side with its version and when it was written. */
async function panel(device: Device) {
  await syncLine(device.popup.page).getByRole('button', { name: 'Resolve…' }).click();
  const row = device.popup.page.getByRole('region', { name: 'Changed on two devices' }).getByRole('listitem', { name: 'DB_URL' });
  await row.getByRole('button', { name: 'Reveal' }).click();
  const sides = row.getByRole('definition');
  await expect(sides).toHaveCount(2);
  await expect(sides.nth(0)).toContainText(/\(version \d+, written .+\)/);
  await expect(sides.nth(1)).toContainText(/\(version \d+, written .+\)/);
  return { row, mine: (await sides.nth(0).innerText()).trim(), theirs: (await sides.nth(1).innerText()).trim() };
}

/** The conflict is over on both devices: no word of it in either line, nothing held. */
async function expectSettled(a: Device, b: Device): Promise<void> {
  for (const device of [a, b]) {
    await expect(syncLine(device.popup.page)).not.toContainText('changed here and on another device');
    await expect(syncLine(device.popup.page)).not.toContainText('change');
  }
}

test('a conflict found by the device that synced second shows on the first, which settles it for both', async () => {
  test.setTimeout(120_000); // two profiles and a server that starts twice, on a shared 2-core machine
  await withConflictOnBoth(async (a, b) => {
    // Both panels show both sides, and the two devices agree on them (A's own side is B's other side).
    const onA = await panel(a);
    const onB = await panel(b);
    expect(onA.mine).toContain('postgres://from-a');
    expect(onA.theirs).toContain('postgres://from-b');
    expect(onB.mine).toBe(onA.theirs);
    expect(onB.theirs).toBe(onA.mine);

    // Settled on A (keep the other device's value): it ends on A, on B's open panel and line, and
    // both hold B's value, with no copy left over.
    await onA.row.getByRole('button', { name: 'Keep theirs' }).click();
    await expect(onB.row).toBeHidden();
    await expectSettled(a, b);
    for (const device of [a, b]) {
      await expect.poll(() => reveal(device.popup.page, 'DB_URL')).toBe('postgres://from-b');
      await expect.poll(() => device.popup.optionNames()).toEqual(['DB_URL']);
    }
  });
});

test('Keep both, chosen on the device that synced first: both devices end with the same two secrets', async () => {
  test.setTimeout(120_000);
  await withConflictOnBoth(async (a, b) => {
    const onA = await panel(a);
    await onA.row.getByRole('button', { name: 'Keep both' }).click();
    await expectSettled(a, b);
    // The server's copy (A's) stays DB_URL; the finder's (B's) is kept as the copy, on both.
    for (const device of [a, b]) {
      await expect.poll(() => device.popup.optionNames()).toEqual(['DB_URL', 'DB_URL_CONFLICT']);
      expect(await reveal(device.popup.page, 'DB_URL')).toBe('postgres://from-a');
      expect(await reveal(device.popup.page, 'DB_URL_CONFLICT')).toBe('postgres://from-b');
    }
  });
});

test('a personal override changed on two devices: the popup of the device that synced first lists it, and settles it for both', async () => {
  test.setTimeout(120_000);
  await withConflictOnBoth(
    async (a, b) => {
      await syncLine(a.popup.page).getByRole('button', { name: 'Resolve…' }).click();
      const region = a.popup.page.getByRole('region', { name: 'Changed on two devices' });
      const row = region.getByRole('listitem', { name: 'DB_URL' });
      await expect(row).toContainText('Your personal value for this secret was changed on two devices');
      await row.getByRole('button', { name: 'Reveal' }).click();
      const sides = row.getByRole('definition');
      await expect(sides.nth(0)).toContainText('postgres://from-a');
      await expect(sides.nth(1)).toContainText('postgres://from-b');
      await row.getByRole('button', { name: 'Keep theirs' }).click();
      // B takes the choice when the server tells it over the live connection: nothing is clicked there.
      await expectSettled(a, b);
      for (const device of [a, b]) await expect.poll(() => reveal(device.popup.page, 'DB_URL')).toBe('postgres://from-b');
    },
    { override: true },
  );
});
