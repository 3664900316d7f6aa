import { beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../lib/vault';
import { addDays, afterRotation, checkDay, checkedRotation, isDue, localDay } from '../../../lib/vault/rotation';
import { dumpAll, makeVault, rejection } from './helpers';

describe('rotation dates', () => {
  it.each([
    ['2026-12-02', '2026-12-02'],
    ['2028-02-29', '2028-02-29'],
    ['2027-02-29', undefined],
    ['2026-13-01', undefined],
    ['2026-1-01', undefined],
    ['yesterday', undefined],
    [20261202, undefined],
  ])('checkDay(%s) → %s', (input, expected) => {
    expect(checkDay(input)).toBe(expected);
  });

  it.each([
    ['2026-12-02', 90, '2027-03-02'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-02', 3650, '2036-11-29'],
  ])('addDays(%s, %i) → %s', (day, days, expected) => {
    expect(addDays(day, days)).toBe(expected);
  });

  it.each([
    [{ due: '2026-12-01' }, true],
    [{ due: '2026-12-02' }, true],
    [{ due: '2026-12-03' }, false],
    [{ due: '2099-01-01', everyDays: 30 }, false],
    [{ everyDays: 30 }, false],
    [undefined, false],
  ])('isDue(%o) on 2026-12-02 → %s', (rotation, expected) => {
    expect(isDue(rotation, '2026-12-02')).toBe(expected);
  });

  it('after a rotation: one period on, or no reminder without a period', () => {
    expect(afterRotation({ due: '2020-01-01', everyDays: 90 }, '2026-12-02')).toEqual({ everyDays: 90, due: '2027-03-02' });
    expect(afterRotation({ due: '2020-01-01' }, '2026-12-02')).toBeUndefined();
  });

  it('keeps only well-formed rotations from a meta that came from elsewhere', () => {
    expect(checkedRotation({ due: '2026-12-02', everyDays: 30 })).toEqual({ due: '2026-12-02', everyDays: 30 });
    expect(checkedRotation({ due: 'soon', everyDays: 30 })).toEqual({ everyDays: 30 });
    expect(checkedRotation({ due: '2026-12-02', everyDays: -1 })).toEqual({ due: '2026-12-02' });
    expect(checkedRotation({ due: 1, everyDays: 1e9 })).toBeUndefined();
    expect(checkedRotation('2026-12-02')).toBeUndefined();
  });

  it('reads today on the local calendar', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('rotation in the vault', () => {
  const DEV = { appName: 'Personal', envName: 'Development' };
  // 2026-12-02 at noon, local time: the vault's clock.
  const NOW = new Date(2026, 11, 2, 12).getTime();
  let vault: Vault;
  let factory: Awaited<ReturnType<typeof makeVault>>['factory'];
  beforeAll(async () => {
    ({ vault, factory } = await makeVault({ now: () => NOW }));
    await vault.create({
      ...DEV,
      keyValuePairs: [
        { key: 'OVERDUE', value: 'a', rotation: { due: '2026-11-30', everyDays: 30 } },
        { key: 'TODAY', value: 'b', rotation: { due: '2026-12-02' } },
        { key: 'PERIOD_ONLY', value: 'c', rotation: { everyDays: 400 } },
        { key: 'PLAIN', value: 'd' },
      ],
    });
  });

  it('lists what is due, most overdue first; a period alone starts counting today', async () => {
    expect((await vault.dueForRotation()).map((h) => h.key)).toEqual(['OVERDUE', 'TODAY']);
    const [period] = await vault.get({ ...DEV, keyToFind: 'PERIOD_ONLY' });
    expect(period!.rotation).toEqual({ everyDays: 400, due: '2028-01-06' });
  });

  it('Mark as rotated sets the next date one period on, or ends a one-off reminder', async () => {
    await vault.update({ ...DEV, key: 'OVERDUE', rotated: true });
    await vault.update({ ...DEV, key: 'TODAY', rotated: true });
    expect((await vault.get({ ...DEV, keyToFind: 'OVERDUE' }))[0]!.rotation).toEqual({ everyDays: 30, due: '2027-01-01' });
    expect((await vault.get({ ...DEV, keyToFind: 'TODAY' }))[0]!.rotation).toBeUndefined();
    expect(await vault.dueForRotation()).toEqual([]);
  });

  it('is sealed in the meta: no date on disk in the clear', async () => {
    expect(JSON.stringify(await dumpAll(factory))).not.toContain('2027-01-01');
  });

  it('refuses a bad date or period in words, changing nothing', async () => {
    const before = await vault.get({ ...DEV, keyToFind: 'PLAIN' });
    expect(await rejection(vault.update({ ...DEV, key: 'PLAIN', rotation: { due: '2027-02-30' } }))).toMatchObject({
      code: 'invalid_input',
      field: 'rotation.due',
      message: 'Rotate by must be a date (YYYY-MM-DD)',
    });
    expect(await rejection(vault.update({ ...DEV, key: 'PLAIN', rotation: { everyDays: 0 } }))).toMatchObject({
      field: 'rotation.everyDays',
    });
    expect(await vault.get({ ...DEV, keyToFind: 'PLAIN' })).toEqual(before);
  });

  it('takes a date years ahead, and removes a reminder', async () => {
    await vault.update({ ...DEV, key: 'PLAIN', rotation: { due: '2031-06-30' } });
    expect((await vault.get({ ...DEV, keyToFind: 'PLAIN' }))[0]!.rotation).toEqual({ due: '2031-06-30' });
    await vault.update({ ...DEV, key: 'PLAIN', rotation: null });
    expect((await vault.get({ ...DEV, keyToFind: 'PLAIN' }))[0]!.rotation).toBeUndefined();
  });
});
