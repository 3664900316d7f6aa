/**
 * Vault benchmark: `npx tsx bench/vault.ts`. Prints a markdown table.
 *
 * Runs in Node over fake-indexeddb, a pure-JavaScript IndexedDB that is markedly slower than
 * Chromium's native one (every record is structured-cloned and kept in JS B-trees), so the
 * IndexedDB-heavy rows here are upper bounds for the extension; the popup-to-list and search
 * figures need Chromium and are measured by the end-to-end bench, not here.
 *
 * Data set: 10,000 secrets over 10 safes × 3 environments (≈333 per environment).
 */
import 'fake-indexeddb/auto';
import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { argon2idBits } from '../lib/crypto/argon2';
import { memorySessionStore } from '../lib/vault/session-secret';
import { pbkdf2Bits } from '../lib/crypto/kdf';
import { DEFAULT_KDF, KDF_DEFAULT_ITERATIONS, type KdfChoice } from '../lib/vault/kdf-params';
import { randomBytes } from '../lib/crypto/random';
import { openVault, type Vault } from '../lib/vault';
import { associatedData, openText, sealText } from '../lib/vault/cipher';

const MASTER = 'bench master password';
const SAFES = 10;
const TOTAL_SECRETS = 10_000;
const IMPORT_LINES = 10_000;
const CRYPTO_ROUNDS = 5_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function timeMedian(runs: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await time(work));
  return median(samples);
}

function secretValue(i: number): string {
  return `sk_live_${i.toString(36)}_${'x'.repeat(32)}`;
}

async function populate(vault: Vault): Promise<void> {
  for (let s = 1; s < SAFES; s++) await vault.createSafe(`Service ${s}`);
  const safes = await vault.listSafes();
  const envs = safes.flatMap((safe) => safe.environments.map((env) => ({ appId: safe.id, envId: env.id })));
  let made = 0;
  for (const [n, target] of envs.entries()) {
    const count = Math.round(((n + 1) * TOTAL_SECRETS) / envs.length) - made;
    const pairs = Array.from({ length: count }, (_, i) => ({
      key: `KEY_${made + i}`,
      value: secretValue(made + i),
      tags: i % 3 === 0 ? ['api'] : [],
    }));
    await vault.create({ ...target, keyValuePairs: pairs, secretPath: i2path(n) });
    made += count;
  }
}

function i2path(n: number): string {
  return n % 2 === 0 ? '/' : '/api';
}

async function main(): Promise<void> {
  const factory = new IDBFactory();
  // One session store for both instances: what a restarted service worker finds in storage.session.
  const session = memorySessionStore();
  const vault = await openVault({ indexedDB: factory, dbName: 'bench', session });
  await vault.setup(MASTER);
  const populateMs = await time(() => populate(vault));
  // Unlock = KDF + everything after it, for each KDF a vault can use: the KDF alone (median of 5)
  // is subtracted from the whole unlock (median of 5) run against the same stored parameters.
  const unlockRows: [string, number, string][] = [];
  for (const kdf of [DEFAULT_KDF, { name: 'PBKDF2-HMAC-SHA256', iterations: KDF_DEFAULT_ITERATIONS } as const]) {
    await vault.setKdf(MASTER, kdf);
    const params = await vault.getKdfParams();
    const kdfMs = await timeMedian(5, () =>
      params.name === 'Argon2id' ? argon2idBits(MASTER, params.salt, params) : pbkdf2Bits(MASTER, params.salt, params.iterations),
    );
    const unlockSamples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await vault.lock();
      unlockSamples.push(await time(() => vault.unlock(MASTER)));
    }
    const unlockMs = median(unlockSamples);
    const beyond = Math.max(0, unlockMs - kdfMs);
    const name = describeKdf(kdf);
    unlockRows.push([`${name}: the KDF alone (median of 5)`, kdfMs, '—']);
    unlockRows.push([`${name}: unlock, total (median of 5)`, unlockMs, '—']);
    unlockRows.push([`**Unlock beyond the KDF**, ${name}`, beyond, '≤ 300 ms']);
  }

  // A restarted worker: a new instance over the same database, first listing.
  const safes = await vault.listSafes();
  const safe = safes[3]!;
  const env = safe.environments[0]!;
  const coldListMs = await time(async () => {
    const restarted = await openVault({ indexedDB: factory, dbName: 'bench', session });
    await restarted.listSafes();
    await restarted.listSecrets(safe.id, env.id);
  });
  let listed = 0;
  const listMs = await timeMedian(20, async () => {
    listed = (await vault.listSecrets(safe.id, env.id)).length;
  });
  const listSafesMs = await timeMedian(20, () => vault.listSafes());
  const firstSecret = (await vault.listSecrets(safe.id, env.id))[0]!;
  const revealMs = await timeMedian(50, () => vault.revealSecret(firstSecret.id));
  const getEnvMs = await timeMedian(5, () => vault.get({ appId: safe.id, envId: env.id }));

  // Import a 10,000-line .env into a fresh environment (one transaction, one index write).
  const { id: importEnv } = await vault.createEnvironment(safe.id, 'Import target');
  const lines = Array.from({ length: IMPORT_LINES }, (_, i) =>
    i % 10 === 0 ? `export IMPORTED_${i}="multi\\nline ${i}"` : `IMPORTED_${i}='value ${i} # not a comment'`,
  );
  let imported = 0;
  const importMs = await time(async () => {
    imported = (await vault.importDotenv({ safeId: safe.id, envId: importEnv, text: lines.join('\n') })).created;
  });
  const exportMs = await time(() => vault.exportDotenv({ safeId: safe.id, envId: importEnv }));

  // Per-secret encrypt+decrypt: the vault's path (WebCrypto AES-256-GCM with associated data)
  // beside Node's native OpenSSL binding, same value size, same run.
  const key = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const value = secretValue(42);
  const vaultCryptoMs = await time(async () => {
    for (let i = 0; i < CRYPTO_ROUNDS; i++) {
      const ad = associatedData('secret', `id-${i}`, 'value');
      const sealed = await sealText(key, value, ad);
      if ((await openText(key, sealed, ad)) !== value) throw new Error('round trip failed');
    }
  });
  const nodeKey = nodeRandomBytes(32);
  const nodeCryptoMs = await time(async () => {
    for (let i = 0; i < CRYPTO_ROUNDS; i++) {
      const ad = Buffer.from(`keysmith/v1/secret/id-${i}/value`);
      const iv = nodeRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', nodeKey, iv).setAAD(ad);
      const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      const decipher = createDecipheriv('aes-256-gcm', nodeKey, iv).setAAD(ad).setAuthTag(tag);
      const pt = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
      if (pt !== value) throw new Error('round trip failed');
    }
  });
  // Throughput when many secrets are sealed at once (as create/import do).
  const vaultParallelMs = await time(() =>
    Promise.all(
      Array.from({ length: CRYPTO_ROUNDS }, async (_, i) => {
        const ad = associatedData('secret', `id-${i}`, 'value');
        return openText(key, await sealText(key, value, ad), ad);
      }),
    ),
  );
  const perVaultUs = (vaultCryptoMs * 1000) / CRYPTO_ROUNDS;
  const perNodeUs = (nodeCryptoMs * 1000) / CRYPTO_ROUNDS;

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows: [string, string, string][] = [
    ['Populate 10,000 secrets (30 batched creates)', ms(populateMs), '—'],
    ...unlockRows.map(([what, value, budget]): [string, string, string] => [
      what,
      what.startsWith('**') ? `**${ms(value)}**` : ms(value),
      budget,
    ]),
    ['Restarted worker: open DB, list safes, list one environment', ms(coldListMs), '—'],
    [`**List one environment** (${listed} names, median of 20)`, `**${ms(listMs)}**`, '—'],
    ['List safes and environments (10 × 3, median of 20)', ms(listSafesMs), '—'],
    ['Reveal one value (median of 50)', ms(revealMs), '—'],
    [`get() one environment with all ${listed} values (median of 5)`, ms(getEnvMs), '—'],
    [`**Import a ${IMPORT_LINES.toLocaleString('en')}-line .env** (${imported} created)`, `**${ms(importMs)}**`, '≤ 5,000 ms'],
    [`Export that environment as .env`, ms(exportMs), '—'],
    [`Encrypt+decrypt one secret, vault (WebCrypto + AD), ${CRYPTO_ROUNDS} rounds`, `${perVaultUs.toFixed(1)} µs`, '—'],
    [`Encrypt+decrypt one secret, Node native crypto (createCipheriv)`, `${perNodeUs.toFixed(1)} µs`, '—'],
    [
      '**Ratio vault / native** (one at a time: WebCrypto is async, each call a thread-pool job)',
      `**${(perVaultUs / perNodeUs).toFixed(2)}×**`,
      '—',
    ],
    [
      `Encrypt+decrypt, vault, ${CRYPTO_ROUNDS} concurrently (per secret)`,
      `${((vaultParallelMs * 1000) / CRYPTO_ROUNDS).toFixed(1)} µs`,
      '—',
    ],
    ['Ratio vault concurrent / native', `${((vaultParallelMs * 1000) / CRYPTO_ROUNDS / perNodeUs).toFixed(2)}×`, '—'],
  ];
  const out = [
    `Vault benchmark — Node ${process.version}, fake-indexeddb (slower than Chromium's IndexedDB), ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| Measurement | Result | Budget |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  console.log(out.join('\n'));
  vault.close();
}

await main();

function describeKdf(kdf: KdfChoice): string {
  return kdf.name === 'Argon2id'
    ? `Argon2id ${kdf.memoryKiB / 1024} MiB × ${kdf.passes} passes × ${kdf.parallelism} lanes`
    : `PBKDF2-HMAC-SHA256 × ${kdf.iterations.toLocaleString('en')}`;
}
