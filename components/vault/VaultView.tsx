import { useCallback, useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { call } from '../../adapters/messenger';
import { buildSearchIndex, searchRows } from '../../lib/secret-search';
import type { VaultOpening } from '../../lib/vault/types';
import type { DamagedItem, SafeSummary, SecretSummary } from '../../lib/vault/types';
import { errorMessage } from '../ui/field-errors';
import { copySecret } from '../ui/copy-secret';
import { SecretDetail } from './SecretDetail';
import { parseTags, SecretForm } from './SecretForm';
import { NewSafeOrEnvironmentForm } from './NewSafeOrEnvironmentForm';
import { readCurrentEnv, saveCurrentEnv } from './current-env';
import { optionId, SecretList } from './SecretList';
import { Switchers } from './Switchers';

type Screen = { kind: 'list' } | { kind: 'detail'; id: string } | { kind: 'new' } | { kind: 'newSafeOrEnv'; what: 'safe' | 'environment' };

export function VaultView({ initial }: { initial?: VaultOpening['view'] }) {
  const [safes, setSafes] = useState<SafeSummary[]>(initial?.safes ?? []);
  const [current, setCurrent] = useState(() => (initial ? { safeId: initial.safeId, envId: initial.envId } : readCurrentEnv()));
  const [list, setList] = useState<(SecretSummary | DamagedItem)[] | null>(initial?.secrets ?? null);
  const [query, setQuery] = useState('');
  const [activeId, setActiveId] = useState<string>();
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [message, setMessage] = useState('');
  const listId = useId();

  const loadList = useCallback(async (safeId: string, envId: string) => {
    setList(await call('vault.listSecrets', { safeId, envId }));
  }, []);

  useEffect(() => {
    // Opened with the popup's start-up snapshot: nothing to fetch. Otherwise one 'vault.open'.
    if (initial) return saveCurrentEnv(current);
    void (async () => {
      const { view } = await call('vault.open', readCurrentEnv());
      if (!view) return;
      setSafes(view.safes);
      setCurrent({ safeId: view.safeId, envId: view.envId });
      saveCurrentEnv({ safeId: view.safeId, envId: view.envId });
      setList(view.secrets);
    })();
    // Only on mount: later changes go through choose().
  }, []);

  function choose(safeId: string, envId: string) {
    setCurrent({ safeId, envId });
    saveCurrentEnv({ safeId, envId });
    setScreen({ kind: 'list' });
    setActiveId(undefined);
    void loadList(safeId, envId);
  }

  const index = useMemo(() => buildSearchIndex(list ?? []), [list]);
  const rows = useMemo(() => searchRows(index, query), [index, query]);
  const secrets = useMemo(() => rows.flatMap((r) => (r.kind === 'secret' ? [r.item] : [])), [rows]);
  const active = secrets.find((s) => s.id === activeId) ?? secrets[0];
  const target = { safeId: current.safeId, envId: current.envId };

  async function copy(item: SecretSummary) {
    try {
      setMessage(`${item.key}: ${await copySecret({ id: item.id })}`);
    } catch (error) {
      setMessage(errorMessage(error));
    }
  }

  function onSearchKeyDown(event: KeyboardEvent) {
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
      setScreen({ kind: 'detail', id: active.id });
    }
  }

  async function changed(id: string | undefined) {
    await loadList(current.safeId, current.envId);
    setScreen(id ? { kind: 'detail', id } : { kind: 'list' });
  }

  if (screen.kind === 'new') {
    return (
      <SecretForm
        title="New secret"
        initial={{ key: '', value: '', path: '/', tags: '', comment: '' }}
        onCancel={() => setScreen({ kind: 'list' })}
        onSave={async (draft) => {
          const [created] = await call('vault.create', {
            ...target,
            secretPath: draft.path,
            keyValuePairs: [{ key: draft.key, value: draft.value, tags: parseTags(draft.tags), comment: draft.comment }],
          });
          await loadList(current.safeId, current.envId);
          setActiveId(created?.id);
          setScreen({ kind: 'list' });
          setMessage(`Saved ${draft.key}.`);
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

  if (screen.kind === 'detail') {
    const item = index.items.find((i) => i.id === screen.id);
    if (item) return <SecretDetail item={item} target={target} onBack={() => setScreen({ kind: 'list' })} onChanged={changed} />;
  }

  return (
    <div className="vault">
      <Switchers safes={safes} safeId={current.safeId} envId={current.envId} onChange={choose} />
      <div className="row safe-env-actions">
        <button type="button" onClick={() => setScreen({ kind: 'newSafeOrEnv', what: 'safe' })}>New safe</button>
        <button type="button" onClick={() => setScreen({ kind: 'newSafeOrEnv', what: 'environment' })}>New environment</button>
      </div>
      <div className="row">
        <input
          type="search"
          spellCheck={false}
          aria-label="Search"
          placeholder="Search keys, paths, tags"
          autoFocus
          value={query}
          onChange={(e) => { setQuery(e.target.value); setActiveId(undefined); }}
          onKeyDown={onSearchKeyDown}
          aria-controls={listId}
          aria-activedescendant={active ? optionId(listId, active.id) : undefined}
          className="search"
        />
        <button type="button" onClick={() => setScreen({ kind: 'new' })}>New secret</button>
      </div>
      {list === null ? (
        <p role="status">Loading…</p>
      ) : (
        <SecretList
          id={listId}
          rows={rows}
          activeId={active?.id}
          emptyMessage={query.trim() ? `No secrets here match “${query.trim()}”.` : 'No secrets in this environment yet: add one with New secret.'}
          onOpen={(item) => setScreen({ kind: 'detail', id: item.id })}
          onDeleteDamaged={async (id) => {
            await call('vault.deleteById', { id });
            await loadList(current.safeId, current.envId);
          }}
        />
      )}
      <p role="status" className="muted">{message}</p>
    </div>
  );
}
