// Devices for sync tests: each a vault in its own in-memory IndexedDB with its own sync engine,
// talking real HTTP to a real server; `net` lets a test break or rewrite that device's traffic.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openVault, type Vault } from '../../lib/vault';
import { memorySessionStore, type SessionSecretStore } from '../../lib/vault/session-secret';
import { SyncEngine } from '../../lib/sync/engine';
import type { KdfFloor } from '../../lib/sync/kdf-policy';

export const MASTER = 'Sync-Master-Password-42!';
/** The cheapest Argon2id the floors allow, so each derivation takes tens of milliseconds. */
export const FAST_KDF = { name: 'Argon2id', memoryKiB: 19_456, passes: 2, parallelism: 1 } as const;

/** What a test does to one request: pass it on, fail it, or change the answer. */
export type Fault = (url: URL, init: RequestInit, pass: () => Promise<Response>) => Promise<Response>;

export interface Device {
  vault: Vault;
  engine: SyncEngine;
  factory: IDBFactory;
  /** Every request this device made, as "METHOD /path". */
  requests: string[];
  /** Set to break or rewrite this device's traffic; undefined passes everything. */
  fault: Fault | undefined;
  /** Bytes of request and answer bodies. */
  bytes: { sent: number; received: number };
  now: { offset: number };
  restart: () => Promise<void>;
  generation: number;
  /** The engine's stand-in for storage.session (auth secret and token while unlocked). */
  credentials: SessionSecretStore;
}

let devices = 0;

export async function device(opts: { dbName?: string; factory?: IDBFactory; kdfFloor?: KdfFloor } = {}): Promise<Device> {
  const factory = opts.factory ?? new IDBFactory();
  // storage.session's stand-ins: they outlive a restarted worker (restart() below), as the browser's does.
  const session = memorySessionStore();
  const credentials = memorySessionStore();
  const vault = await openVault({ indexedDB: factory, dbName: opts.dbName ?? 'device', session });
  const d = {
    vault,
    factory,
    credentials,
    requests: [] as string[],
    fault: undefined as Fault | undefined,
    bytes: { sent: 0, received: 0 },
    now: { offset: 0 },
    name: ++devices,
    /**
     * The browser stops the worker wherever it is and starts another over the same database and
     * session: the old one's connection closes (its open transaction commits or not) and it sends nothing more.
     */
    restart: async () => {
      d.generation++;
      d.vault.close();
      const next = await openVault({ indexedDB: factory, dbName: opts.dbName ?? 'device', session });
      Object.assign(d, { vault: next, engine: engineFor(next) });
    },
    generation: 0,
  };
  const engineFor = (vault: Vault, generation = d.generation) =>
    new SyncEngine({
      vault,
      credentials,
      now: () => Date.now() + d.now.offset,
      timeoutMs: 2_000,
      // Devices here derive with FAST_KDF; the new-device floor at the defaults has its own tests.
      kdfFloor: opts.kdfFloor ?? FAST_KDF,
      fetch: (input, init = {}) => {
        if (generation !== d.generation) return Promise.reject(new TypeError('this worker was stopped'));
        const url = new URL(String(input));
        d.requests.push(`${init.method ?? 'GET'} ${url.pathname}`);
        const pass = () => fetch(input, init);
        return d.fault ? d.fault(url, { ...init, who: String(d.name) } as RequestInit, pass) : pass();
      },
      onBytes: (sent, received) => {
        d.bytes.sent += sent;
        d.bytes.received += received;
      },
    });
  return Object.assign(d, { engine: engineFor(vault) });
}

export async function newVault(d: Device): Promise<void> {
  await d.vault.setup(MASTER, { kdf: FAST_KDF });
}

let counter = 0;
export const email = () => `device-${process.pid}-${++counter}-${Date.now()}@example.test`;

/** Every secret of every environment, as `safe/env/path/key=value` (overrides marked), sorted. */
export async function contents(vault: Vault): Promise<string[]> {
  const out: string[] = [];
  for (const safe of await vault.listSafes()) {
    for (const env of safe.environments) {
      for (const s of await vault.get({ safeId: safe.id, envId: env.id })) {
        out.push(
          `${safe.name}/${env.name}${env.protected ? '!' : ''}${s.path === '/' ? '' : s.path}/${s.key}=${s.value}${s.overridden ? ' (mine)' : ''}${s.tags.length ? ` #${s.tags.join('#')}` : ''}`,
        );
      }
    }
  }
  return out.sort();
}

/** Rewrites the items of every pull answer (a hostile server, or network). */
export function rewritePulls(edit: (items: Record<string, any>[]) => void): Fault {
  return async (url, _init, pass) => {
    const response = await pass();
    if (url.pathname !== '/api/v1/sync' || !response.ok) return response;
    const body = (await response.json()) as { items: Record<string, any>[] };
    edit(body.items);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/**
 * A fault that adds items to a device's next pull answers (a server inventing or replaying them),
 * each at a revision above any real one.
 */
export const injectIntoPulls =
  (make: () => Record<string, any>[]) => async (url: URL, _init: RequestInit, pass: () => Promise<Response>) => {
    if (url.pathname !== '/api/v1/sync') return pass();
    const response = await pass();
    const body = await response.json();
    body.items.push(...make().map((item, n) => ({ ...item, revision: 1000 + n })));
    return jsonResponse(200, body);
  };
