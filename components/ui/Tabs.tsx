import { startTransition, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Tab {
  id: string;
  label: string;
  panel: ReactNode;
}

/**
 * WAI-ARIA tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): arrow keys move between tabs.
 * A panel mounts the first time its tab is shown (nothing hidden costs start-up time) and then
 * stays mounted while hidden, so work in progress survives a tab switch.
 */
export function Tabs({ tabs, label }: { tabs: Tab[]; label: string }) {
  const [active, setActive] = useState(tabs[0]!.id);
  const [visited, setVisited] = useState(() => new Set([active]));
  if (!visited.has(active)) setVisited(new Set(visited).add(active));
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  // A transition keeps the current panel up while a lazily loaded one arrives, instead of a
  // "Loading…" fallback that React 19 holds for ~300 ms before revealing the content.
  const show = (id: string) => startTransition(() => setActive(id));

  function onKeyDown(event: KeyboardEvent) {
    const index = tabs.findIndex((t) => t.id === active);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    show(next.id);
    refs.current[next.id]?.focus();
  }

  return (
    <>
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="tabs">
        {tabs.map((tab) => (
          <button
            type="button"
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            role="tab"
            id={`${base}-${tab.id}-tab`}
            aria-selected={tab.id === active}
            aria-controls={`${base}-${tab.id}-panel`}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => show(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <section
          key={tab.id}
          role="tabpanel"
          id={`${base}-${tab.id}-panel`}
          aria-labelledby={`${base}-${tab.id}-tab`}
          hidden={tab.id !== active}
        >
          {visited.has(tab.id) && tab.panel}
        </section>
      ))}
    </>
  );
}
