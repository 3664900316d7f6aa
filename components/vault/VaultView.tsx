import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { call } from '../../adapters/messenger';
import { browseRows, hitRows } from '../../lib/secret-search';
import type { DamagedItem, SafeSummary, SearchHit, SearchResult, SecretSummary, VaultOpening } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { copySecret } from '../ui/copy-secret';
import { SecretDetail } from './SecretDetail';
import { autofillOf, parseTags, rotationOf, SecretForm } from './SecretForm';
import { NewSafeOrEnvironmentForm } from './NewSafeOrEnvironmentForm';
import { readCurrentEnv, saveCurrentEnv } from './current-env';
import { optionId, SecretList } from './SecretList';
import { SiteSecrets } from './SiteSecrets';
import { Switchers } from './Switchers';
import { ManageSafe } from './ManageSafe';
import { whereOf } from './UsedBy';
import { t } from '../ui/i18n';

type Screen =
  | { kind: 'list' }
  | { kind: 'detail'; id: string }
  | { kind: 'new' }
  | { kind: 'newSafeOrEnv'; what: 'safe' | 'environment' }
  | { kind: 'manageSafe' };

/** `remoteChange` grows when changes from another device arrived: the safes and the list are read again. */
export function VaultView({ initial, remoteChange = 0 }: { initial?: VaultOpening['view']; remoteChange?: number }) {
  const [safes, setSafes] = useState<SafeSummary[]>(initial?.safes ?? []);
  const [current, setCurrent] = useState(() => (initial ? { safeId: initial.safeId, envId: initial.envId } : readCurrentEnv()));
  const [list, setList] = useState<(SecretSummary | DamagedItem)[] | null>(initial?.secrets ?? null);
  const [query, setQuery] = useState('');
  /** The whole vault's hits for `found.query`: shown while the query is not empty. */
  const [found, setFound] = useState<{ query: string; result: SearchResult }>();
  const latestSearch = useRef(0);
  /** The text of the latest question asked, as typed. */
  const lastAsked = useRef('');
  const [activeId, setActiveId] = useState<string>();
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [message, setMessage] = useState('');
  const [siteFound, setSiteFound] = useState(false);
  const [fillFirst, setFillFirst] = useState<object>();
  const listId = useId();
  /** Secrets whose rotation date has come, from every safe: shown above the list. */
  const [due, setDue] = useState<SearchHit[]>([]);

  const loadList = useCallback(async (safeId: string, envId: string) => {
    setList(await call('vault.listSecrets', { safeId, envId }));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only on mount: later changes go through choose().
  useEffect(() => {
    // Opened with the popup's start-up snapshot: nothing to fetch. Otherwise one 'vault.open'.
    if (initial) {
      saveCurrentEnv(current);
      // A large environment came as its first screenful: fetch the rest once that is painted.
      if (!initial.complete) void loadList(initial.safeId, initial.envId);
      return;
    }
    void (async () => {
      const { view } = await call('vault.open', readCurrentEnv());
      if (!view) return;
      setSafes(view.safes);
      setCurrent({ safeId: view.safeId, envId: view.envId });
      saveCurrentEnv({ safeId: view.safeId, envId: view.envId });
      setList(view.secrets);
      if (!view.complete) void loadList(view.safeId, view.envId);
    })();
    // Only on mount: later changes go through choose().
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each remote change, not when loadList (stable) is recreated.
  useEffect(() => {
    if (remoteChange === 0) return;
    void (async () => {
      // The environment on screen may be gone: 'vault.open' falls back to the first one.
      const { view } = await call('vault.open', readCurrentEnv());
      if (!view) return;
      setSafes(view.safes);
      setCurrent({ safeId: view.safeId, envId: view.envId });
      setList(view.secrets);
      if (!view.complete) void loadList(view.safeId, view.envId);
    })();
  }, [remoteChange]);

  // Stable, so the pickers (a memo) are not rendered again on every search keystroke.
  const choose = useCallback(
    (safeId: string, envId: string) => {
      setCurrent({ safeId, envId });
      saveCurrentEnv({ safeId, envId });
      setScreen({ kind: 'list' });
      setActiveId(undefined);
      void loadList(safeId, envId);
    },
    [loadList],
  );

  // Each keystroke asks the background, which holds the decrypted names, straight from the input
  // event (an effect would wait for a paint); only the answer to the latest question is shown.
  const search = useCallback((text: string, where: { safeId: string; envId: string }) => {
    const trimmed = text.trim();
    lastAsked.current = text;
    const asked = ++latestSearch.current;
    if (!trimmed) return setFound(undefined);
    call('vault.search', { query: trimmed, safeId: where.safeId, envId: where.envId })
      .then((result) => asked === latestSearch.current && setFound({ query: trimmed, result }))
      .catch((error) => asked === latestSearch.current && setMessage(errorMessage(error)));
  }, []);
  // Ask again when what is searched changed under the question (an edit, another environment on screen).
  // The question is the last one asked, not the query of the last render: this effect can run after
  // a keystroke has asked and before that keystroke's render, and must not ask the older query again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `list` is the trigger (an edit changed what is searched), not a value read inside.
  useEffect(() => {
    if (lastAsked.current.trim()) search(lastAsked.current, current);
  }, [list, current.safeId, current.envId, search]);

  // Asked after the list is on screen (never before the first paint), and again after each change.
  useEffect(() => {
    if (list === null) return;
    call('vault.dueForRotation').then(setDue, () => setDue([]));
  }, [list]);

  const items = useMemo(() => (list ?? []).filter((e): e is SecretSummary => !('error' in e)), [list]);
  const searching = query.trim() !== '';
  const rows = useMemo(
    () => (!searching ? browseRows(list ?? []) : found ? hitRows(found.result, current.envId) : []),
    [searching, list, found, current.envId],
  );
  const hits = useMemo(() => rows.flatMap((r) => (r.kind === 'secret' ? [r] : [])), [rows]);
  const secrets = useMemo(() => hits.map((r) => r.item), [hits]);
  const active = secrets.find((s) => s.id === activeId) ?? secrets[0];
  const target = { safeId: current.safeId, envId: current.envId };

  async function copy(item: SecretSummary) {
    try {
      setMessage(t('copiedKey', item.key, await copySecret({ id: item.id })));
    } catch (error) {
      setMessage(errorMessage(error));
    }
  }

  function onSearchKeyDown(event: KeyboardEvent) {
    // Opened on a site with secrets for it, Enter before typing fills the first (as Fill would).
    if (event.key === 'Enter' && !searching && siteFound) {
      event.preventDefault();
      setFillFirst({});
      return;
    }
    if (!secrets.length) return;
    const at = active ? secrets.indexOf(active) : 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = secrets[Math.min(secrets.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))]!;
      setActiveId(next.id);
    } else if (event.key === 'Enter' && active) {
      event.preventDefault();
      void copy(active);
    } else if (event.key === 'ArrowRight' && active && (event.target as HTMLInputElement).selectionStart === query.length) {
      void open(active);
    }
  }

  /** Opens a secret's detail; one found in another environment opens there, which becomes the one on screen. */
  async function open(item: SecretSummary) {
    const where = hits.find((r) => r.item.id === item.id)?.where;
    if (where) await moveTo(where);
    setScreen({ kind: 'detail', id: item.id });
  }

  async function moveTo(hit: SearchHit) {
    setCurrent({ safeId: hit.safeId, envId: hit.envId });
    saveCurrentEnv({ safeId: hit.safeId, envId: hit.envId });
    setQuery('');
    search('', hit);
    await loadList(hit.safeId, hit.envId);
  }

  async function changed(id: string | undefined) {
    await loadList(current.safeId, current.envId);
    setScreen(id ? { kind: 'detail', id } : { kind: 'list' });
  }

  if (screen.kind === 'new') {
    return (
      <SecretForm
        title={t('newSecret')}
        initial={{
          key: '',
          value: '',
          path: '/',
          tags: '',
          comment: '',
          websites: '',
          subdomains: false,
          fieldName: '',
          encryptionKey: false,
          rotateBy: '',
          rotateEvery: '',
        }}
        onCancel={() => setScreen({ kind: 'list' })}
        onSave={async (draft) => {
          const [created] = await call('vault.create', {
            ...target,
            secretPath: draft.path,
            keyValuePairs: [
              {
                key: draft.key,
                value: draft.value,
                tags: parseTags(draft.tags),
                comment: draft.comment,
                autofill: autofillOf(draft),
                encryptionKey: draft.encryptionKey,
                rotation: rotationOf(draft),
              },
            ],
          });
          await loadList(current.safeId, current.envId);
          setActiveId(created?.id);
          setScreen({ kind: 'list' });
          setMessage(t('savedKey', draft.key));
        }}
      />
    );
  }

  if (screen.kind === 'newSafeOrEnv') {
    return (
      <NewSafeOrEnvironmentForm
        what={screen.what}
        onCancel={() => setScreen({ kind: 'list' })}
        onCreate={async (name, isProtected) => {
          let safeId = current.safeId;
          let envId: string | undefined;
          if (screen.what === 'safe') safeId = (await call('vault.createSafe', { name })).id;
          else envId = (await call('vault.createEnvironment', { safeId, name, protected: isProtected })).id;
          const all = await call('vault.listSafes');
          setSafes(all);
          choose(safeId, envId ?? all.find((s) => s.id === safeId)?.environments[0]?.id ?? '');
        }}
      />
    );
  }

  if (screen.kind === 'manageSafe') {
    const safe = safes.find((s) => s.id === current.safeId);
    if (safe) {
      return (
        <ManageSafe
          key={safe.id}
          safe={safe}
          canDelete={safes.length > 1}
          onBack={() => setScreen({ kind: 'list' })}
          onChanged={async (deleted) => {
            const all = await call('vault.listSafes');
            setSafes(all);
            const still = all.find((s) => s.id === current.safeId);
            if (deleted || !still) {
              const first = all[0];
              choose(first?.id ?? '', first?.environments[0]?.id ?? '');
            } else if (!still.environments.some((e) => e.id === current.envId)) {
              choose(still.id, still.environments[0]?.id ?? '');
              setScreen({ kind: 'manageSafe' });
            }
          }}
        />
      );
    }
  }

  if (screen.kind === 'detail') {
    const item = items.find((i) => i.id === screen.id);
    if (item) return <SecretDetail item={item} target={target} onBack={() => setScreen({ kind: 'list' })} onChanged={changed} />;
  }

  return (
    <div className="vault">
      <SiteSecrets onMessage={setMessage} onFound={setSiteFound} fillFirst={fillFirst} />
      <Switchers safes={safes} safeId={current.safeId} envId={current.envId} onChange={choose} />
      <div className="row safe-env-actions">
        <button type="button" onClick={() => setScreen({ kind: 'newSafeOrEnv', what: 'safe' })}>
          {t('newSafe')}
        </button>
        <button type="button" onClick={() => setScreen({ kind: 'newSafeOrEnv', what: 'environment' })}>
          {t('newEnvironment')}
        </button>
        <button type="button" onClick={() => setScreen({ kind: 'manageSafe' })}>
          {t('manageSafe')}
        </button>
      </div>
      <div className="row">
        <input
          type="search"
          spellCheck={false}
          aria-label={t('searchLabel')}
          placeholder={t('searchPlaceholder')}
          autoFocus
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActiveId(undefined);
            search(e.target.value, current);
          }}
          onKeyDown={onSearchKeyDown}
          aria-controls={listId}
          aria-activedescendant={active ? optionId(listId, active.id) : undefined}
          className="search"
        />
        <button type="button" onClick={() => setScreen({ kind: 'new' })}>
          {t('newSecret')}
        </button>
      </div>
      {!searching && due.length > 0 && (
        <section aria-label={t('dueForRotation')} className="due">
          <h3>
            {t('dueForRotation')} ({due.length})
          </h3>
          <ul>
            {due.map((hit) => (
              <li key={hit.id}>
                <button
                  type="button"
                  className="mono"
                  onClick={async () => {
                    await moveTo(hit);
                    setScreen({ kind: 'detail', id: hit.id });
                  }}
                >
                  {hit.key}
                </button>{' '}
                <span className="muted">
                  {whereOf(hit)} · {hit.rotation?.due}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {list === null ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <SecretList
          id={listId}
          rows={rows}
          activeId={active?.id}
          emptyMessage={
            !searching ? t('emptyEnvironment') : found?.query === query.trim() ? t('noMatch', query.trim()) : t('searchingStatus')
          }
          shownQuery={searching ? (found?.query ?? null) : ''}
          total={searching ? found?.result.total : undefined}
          onOpen={(item) => void open(item)}
          onDeleteDamaged={async (id) => {
            await call('vault.deleteById', { id });
            await loadList(current.safeId, current.envId);
          }}
        />
      )}
      <p role="status" className="muted">
        {message}
      </p>
    </div>
  );
}
