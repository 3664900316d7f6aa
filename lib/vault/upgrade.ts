// Re-seals records made before sync's binding (no `ver`) with their place and version in the associated
// data (binding.ts), at the first unlock after the upgrade: the keys are needed, and nothing is lost.
// Once a whole pass is done, `bound` in the meta store says so and later unlocks read nothing: at
// 100,000 secrets the pass reads every record, over a second in Chromium. A new vault is made bound;
// a restored backup (which carries no `bound`) is looked through once at its next unlock.
import { openJson, openText } from './cipher';
import { overrideAd, secretAd } from './binding';
import type { VaultContext } from './context';
import { commitIndex, loadIndex, type IndexEntry } from './env-index';
import { openName, sealName } from './names';
import { referencesIn } from './references';
import { listSafesWithRecords } from './safes';
import { sealFlags } from './safe-records';
import type { BoundRecord, EnvironmentRecord, OverrideRecord, SafeRecord, SecretRecord } from './schema';
import { getSecretRecords, openValue, sealOverride, sealSecret } from './secret-records';
import { RetrySignal } from './op-queue';
import { unlocked } from './session-keys';
import type { ResolvedTarget } from './target';
import type { SecretMeta } from './types';

/**
 * One transaction per safe, each writing a record only if it is still unbound, so a worker stopped
 * half-way resumes at the next unlock; reads accept both forms meanwhile. A record that does not open
 * is left as it is (it is listed as damaged, as before).
 */
export async function bindOlderRecords(ctx: VaultContext): Promise<void> {
  if (((await ctx.db.get('meta', 'bound')) as BoundRecord | undefined)?.done) return;
  // This pass's own mark. A restore or an erase meanwhile (from another instance of the worker)
  // clears the meta store and the mark with it, so this pass cannot then call those records bound.
  const pass: BoundRecord = { pass: crypto.randomUUID(), done: false };
  await ctx.db.put('meta', pass, 'bound');
  const keys = await unlocked(ctx);
  const tx = ctx.db.transaction(['safes', 'environments', 'secrets', 'overrides']);
  const [safes, envs, secrets, overrides] = await Promise.all([
    tx.objectStore('safes').getAll(),
    tx.objectStore('environments').getAll(),
    tx.objectStore('secrets').getAll(),
    tx.objectStore('overrides').getAll(),
  ]);
  await tx.done;
  const unbound = <T extends { ver?: number; safeId?: string; id?: string }>(list: T[], safeId: string) =>
    list.filter((r) => r.ver === undefined && (r.safeId ?? r.id) === safeId);
  for (const safe of safes) {
    const work = {
      safe: safe.ver === undefined ? [safe] : [],
      envs: unbound(envs, safe.id),
      secrets: unbound(secrets, safe.id),
      overrides: unbound(overrides, safe.id),
    };
    if (work.safe.length + work.envs.length + work.secrets.length + work.overrides.length === 0) continue;
    let safeKey: CryptoKey;
    try {
      safeKey = await keys.safeKey(safe);
    } catch {
      continue; // a safe whose key does not open stays as it is, listed as damaged
    }
    const now = ctx.now();
    const sealed = await Promise.all([
      ...work.safe.map((r) => settle(() => bindSafe(safeKey, r))),
      ...work.envs.map((r) => settle(() => bindEnvironment(safeKey, r))),
      ...work.secrets.map((r) => settle(() => bindSecret(safeKey, r, now))),
      ...work.overrides.map((r) => settle(() => bindOverride(keys.vaultKey, r, now))),
    ]);
    const wtx = ctx.db.transaction(['safes', 'environments', 'secrets', 'overrides'], 'readwrite');
    await Promise.all(
      sealed.map(async (s) => {
        if (!s) return;
        const store = wtx.objectStore(s.store);
        const current = (await store.get(s.key)) as { ver?: number } | undefined;
        if (current && current.ver === undefined) await store.put(s.record as never);
      }),
    );
    await wtx.done;
  }
  // A record that did not open stays unbound and listed as damaged, as it would on every later pass.
  const mtx = ctx.db.transaction('meta', 'readwrite');
  const mark = (await mtx.store.get('bound')) as BoundRecord | undefined;
  if (mark?.pass === pass.pass) await mtx.store.put({ ...pass, done: true }, 'bound');
  await mtx.done;
}

type Bound =
  | { store: 'safes'; key: string; record: SafeRecord }
  | { store: 'environments'; key: string; record: EnvironmentRecord }
  | { store: 'secrets'; key: string; record: SecretRecord }
  | { store: 'overrides'; key: string; record: OverrideRecord };

async function settle(work: () => Promise<Bound>): Promise<Bound | undefined> {
  try {
    return await work();
  } catch {
    return undefined;
  }
}

async function bindSafe(safeKey: CryptoKey, r: SafeRecord): Promise<Bound> {
  const name = await openName('safe', safeKey, r);
  return { store: 'safes', key: r.id, record: { ...r, ver: 1, name: await sealName('safe', safeKey, { id: r.id, ver: 1 }, name) } };
}

async function bindEnvironment(safeKey: CryptoKey, r: EnvironmentRecord): Promise<Bound> {
  const name = await openName('environment', safeKey, r);
  const place = { id: r.id, safeId: r.safeId, ver: 1 };
  const record: EnvironmentRecord = {
    ...r,
    ...place,
    name: await sealName('environment', safeKey, place, name),
    flags: await sealFlags(safeKey, place, { protected: r.protected, position: r.position }),
  };
  return { store: 'environments', key: r.id, record };
}

async function bindSecret(safeKey: CryptoKey, r: SecretRecord, now: number): Promise<Bound> {
  const [meta, value] = await Promise.all([
    openJson<SecretMeta>(safeKey, r.meta, secretAd(r, 'meta')),
    openText(safeKey, r.value, secretAd(r, 'value')),
  ]);
  const entry: IndexEntry = { ...meta, id: r.id, hasOverride: false, overrideActive: false };
  const record = await sealSecret({ safe: { id: r.safeId }, env: { id: r.envId }, safeKey }, entry, value, r.updatedAt ?? now, 1);
  return { store: 'secrets', key: r.id, record };
}

async function bindOverride(vaultKey: CryptoKey, r: OverrideRecord, now: number): Promise<Bound> {
  const value = await openText(vaultKey, r.value, overrideAd(r));
  const record = await sealOverride(vaultKey, r, { value, active: r.active }, r.updatedAt ?? now, 1);
  return { store: 'overrides', key: r.secretId, record };
}

/**
 * "Used by" reads the references each index entry lists (sealSecret copies them from the value),
 * never every value. Values written before references existed list none until saved again, so
 * the secrets using them were missing from "used by" and from the rename warning. Once per vault,
 * after unlock and in the background, this reads the values of entries that list no reference and
 * adds to their index entry the references they hold. Only indexes change (this device's own
 * cache, sealed under the safe key as before): no record is rewritten, so nothing syncs. A value
 * that does not open is left out (it is listed as damaged).
 *
 * One environment per call, so the user's own writes wait for one environment at most; the
 * caller calls again until it answers `true` (done). Progress is kept in the mark, so a worker
 * stopped half-way goes on at the next unlock.
 */
export async function indexOlderReferences(ctx: VaultContext): Promise<boolean> {
  let mark = (await ctx.db.get('meta', 'references')) as BoundRecord | undefined;
  if (mark?.done) return true;
  if (!mark) {
    // A restore or an erase meanwhile clears the mark with the rest, so this pass cannot call that vault done.
    mark = { pass: crypto.randomUUID(), done: false, envs: [] };
    await ctx.db.put('meta', mark, 'references');
  }
  const keys = await unlocked(ctx);
  const { summaries, safes, environments } = await listSafesWithRecords(ctx);
  const seen = new Set(mark.envs ?? []);
  const next = summaries
    .filter((s) => !s.error)
    .flatMap((s) => s.environments.filter((e) => !e.error && !seen.has(e.id)).map((e) => ({ summary: s, envSummary: e })))[0];
  if (next) {
    const safe = safes.find((s) => s.id === next.summary.id);
    const env = environments.find((e) => e.id === next.envSummary.id);
    if (safe && env) {
      try {
        const safeKey = await keys.safeKey(safe);
        await addReferences(ctx, { safe, safeName: next.summary.name, safeKey, env, envName: next.envSummary.name });
      } catch (error) {
        // Another writer: the Vault runs this again. Anything else (a safe key that does not open)
        // is already reported where the user sees it; the pass goes on rather than stop there forever.
        if (error instanceof RetrySignal) throw error;
      }
    }
  }
  const mtx = ctx.db.transaction('meta', 'readwrite');
  const current = (await mtx.store.get('references')) as BoundRecord | undefined;
  if (current?.pass === mark.pass) {
    await mtx.store.put(
      next ? { ...current, envs: [...(current.envs ?? []), next.envSummary.id] } : { ...current, done: true },
      'references',
    );
  }
  await mtx.done;
  return !next;
}

/** One environment's entries that list no reference get those their values hold. */
async function addReferences(ctx: VaultContext, target: ResolvedTarget): Promise<void> {
  const index = await loadIndex(ctx, target);
  const unlisted = index.entries.filter((e) => !e.refs?.length);
  const records = await getSecretRecords(
    ctx,
    unlisted.map((e) => e.id),
  );
  const found = new Map<string, string[]>();
  await Promise.all(
    records.map(async (record) => {
      if (!record) return;
      const refs = referencesIn(await openValue(target.safeKey, record).catch(() => ''));
      if (refs.length > 0) found.set(record.id, refs);
    }),
  );
  if (found.size === 0) return;
  const entries = index.entries.map((e): IndexEntry => (found.has(e.id) ? { ...e, refs: found.get(e.id)! } : e));
  // A write to this environment meanwhile makes commitIndex throw RetrySignal: the Vault runs this again.
  await commitIndex(ctx, target, index, entries, [], () => []);
  ctx.writes.count++; // what is cached from the indexes (search names, "used by") reads them again
}
