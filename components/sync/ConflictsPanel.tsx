import { useEffect, useRef, useState } from 'react';
import { call } from '../../adapters/messenger';
import type { ConflictChoice, ConflictView, Written } from '../../lib/sync/conflicts';
import type { SyncStatus } from '../../lib/sync/engine';
import { errorMessage } from '../ui/field-errors';
import { t, uiLanguage } from '../ui/i18n';

/**
 * Secrets edited on this device and another at once, or created on both under one name: both
 * versions side by side (values hidden until asked), and the user's choice. *Keep both* keeps this
 * device's as `<KEY>_CONFLICT`. A conflict settled on another device while the panel is open goes
 * from it as that device's choice arrives (the sync status moves), and the panel closes when none is left.
 */
export function ConflictsPanel({ status, onDone }: { status: SyncStatus | undefined; onDone: () => void }) {
  const [conflicts, setConflicts] = useState<ConflictView[]>();
  const [shown, setShown] = useState<string>();
  const [message, setMessage] = useState('');

  // Loaded on mount, after each choice here, and again whenever a sync run changes what is in conflict.
  const moved = `${status?.conflicts}:${status?.lastSyncedAt}:${status?.remoteChangeAt}`;
  const loaded = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `moved` is the trigger; onDone is fresh each render.
  useEffect(() => {
    const first = !loaded.current;
    loaded.current = true;
    let stale = false; // a slower answer to an earlier load must not replace a newer list
    void call('sync.conflicts').then(
      (now) => {
        if (stale) return;
        setConflicts(now);
        // Settled elsewhere: nothing left to choose, back to where the user was.
        if (!first && now.length === 0) onDone();
      },
      (error: unknown) => {
        if (!stale) setMessage(errorMessage(error));
      },
    );
    return () => {
      stale = true;
    };
  }, [moved]);

  async function choose(id: string, choice: ConflictChoice) {
    try {
      await call('sync.resolve', { id, choice });
      const rest = await call('sync.conflicts');
      setConflicts(rest);
      if (rest.length === 0) onDone();
    } catch (error) {
      setMessage(errorMessage(error));
    }
  }

  if (!conflicts) return <p role="status">{t('loading')}</p>;
  return (
    <section aria-label={t('syncConflictsTitle')}>
      <h2>{t('syncConflictsTitle')}</h2>
      <p>{t('syncConflictsIntro')}</p>
      <ul className="conflicts">
        {conflicts.map((c) => (
          <ConflictItem
            key={c.id}
            conflict={c}
            shown={shown === c.id}
            onToggle={() => setShown(shown === c.id ? undefined : c.id)}
            onChoose={(choice) => void choose(c.id, choice)}
          />
        ))}
      </ul>
      {message && <p role="alert">{message}</p>}
      <button type="button" onClick={onDone}>
        {t('backToList')}
      </button>
    </section>
  );
}

/** One conflict: both versions (hidden until asked for) and the choices that apply to it. */
function ConflictItem({
  conflict: c,
  shown,
  onToggle,
  onChoose,
}: {
  conflict: ConflictView;
  shown: boolean;
  onToggle: () => void;
  onChoose: (choice: ConflictChoice) => void;
}) {
  // Two secrets of one name belong to no one device: first and second, by id, as on every device.
  const words =
    c.kind === 'name'
      ? { mine: t('syncFirstCopy'), theirs: t('syncSecondCopy'), keepMine: t('syncKeepFirst'), keepTheirs: t('syncKeepSecond') }
      : { mine: t('syncMine'), theirs: t('syncTheirs'), keepMine: t('syncKeepMine'), keepTheirs: t('syncKeepTheirs') };
  return (
    <li aria-label={c.mine.key}>
      <strong>{c.mine.key}</strong> <span className="path">{c.mine.path}</span>
      {c.kind === 'name' && <p>{t('syncNameClash')}</p>}
      {c.kind === 'override' && <p>{t('syncOverrideConflict')}</p>}
      <dl>
        <dt>{words.mine}</dt>
        <dd>
          {shown ? <code>{c.mine.value}</code> : '••••••'} <WrittenLine written={c.written?.mine} />
        </dd>
        <dt>{words.theirs}</dt>
        <dd>
          {c.theirs ? shown ? <code>{c.theirs.value}</code> : '••••••' : t(c.theirsDeleted ? 'syncTheirsDeleted' : 'syncTheirsDamaged')}{' '}
          <WrittenLine written={c.written?.theirs} />
        </dd>
      </dl>
      <div className="row">
        <button type="button" onClick={onToggle}>
          {shown ? t('hide') : t('reveal')}
        </button>
        <button type="button" onClick={() => onChoose('mine')}>
          {words.keepMine}
        </button>
        <button type="button" disabled={!c.theirs && !c.theirsDeleted} onClick={() => onChoose('theirs')}>
          {words.keepTheirs}
        </button>
        <button type="button" disabled={!c.theirs || c.kind === 'override'} onClick={() => onChoose('both')}>
          {t('syncKeepBoth')}
        </button>
      </div>
    </li>
  );
}

/** A side's version and when it was written, as sealed in it (never the server's word). */
function WrittenLine({ written }: { written: Written | undefined }) {
  if (!written) return null;
  const ver = written.ver.toLocaleString(uiLanguage());
  const words =
    written.at === undefined
      ? t('syncWrittenVer', ver)
      : t('syncWrittenVerAt', ver, new Date(written.at).toLocaleString(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' }));
  return <small className="written">{words}</small>;
}
