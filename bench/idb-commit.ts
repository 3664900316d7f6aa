/**
 * What Chromium's IndexedDB costs to store a pull page: `npx tsx bench/idb-commit.ts`. The same
 * 5,000 records the size of a secret's (two sealed ciphertexts of about 300 and 250 bytes) stored
 * as one `put` each, as the vault stores secrets, and as one value holding them all; with the
 * durability hints, whose effect is also measured. Prints, per way, the time to issue the writes
 * and the time from there to the transaction's `complete` (the commit), median of RUNS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../scripts/chromium.mjs';

const RECORDS = 5_000;
const RUNS = Number(process.env.IDB_RUNS ?? 5);
const WAYS = ['one put per record', 'one put per record, relaxed', 'one put per record, strict', 'one value for all'] as const;

// IndexedDB needs an origin: an empty page on the loopback.
const site = createServer((_req, res) => res.end('<!doctype html><title>idb</title>')).listen(0, '127.0.0.1');
await new Promise((resolve) => site.once('listening', resolve));
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
  // tsx (esbuild, keepNames) wraps the functions below in __name(); define it in the page.
  await page.evaluate('globalThis.__name = (fn) => fn');
  const results = new Map<string, { issue: number[]; commit: number[] }>(WAYS.map((w) => [w, { issue: [], commit: [] }]));
  for (let run = 0; run < RUNS; run++) {
    for (const way of WAYS) {
      const { issue, commit } = await page.evaluate(
        async ([way, count]) => {
          const db: IDBDatabase = await new Promise((resolve) => {
            const open = indexedDB.open(`bench-${Math.random()}`, 1);
            open.onupgradeneeded = () => open.result.createObjectStore('secrets').createIndex('byEnv', 'envId');
            open.onsuccess = () => resolve(open.result);
          });
          const sealed = (n: number) => ({
            iv: crypto.getRandomValues(new Uint8Array(12)),
            data: crypto.getRandomValues(new Uint8Array(n)),
          });
          const records = Array.from({ length: count }, (_, i) => ({
            id: crypto.randomUUID(),
            safeId: 'safe',
            envId: 'env',
            value: sealed(300),
            meta: sealed(250),
            ver: 1,
            rev: i + 1,
          }));
          const durability = way.endsWith('relaxed') ? 'relaxed' : way.endsWith('strict') ? 'strict' : 'default';
          const t0 = performance.now();
          const tx = db.transaction('secrets', 'readwrite', { durability });
          const store = tx.objectStore('secrets');
          if (way === 'one value for all') store.put(records, 'page');
          else for (const r of records) store.put(r, r.id);
          const t1 = performance.now();
          await new Promise((resolve, reject) => {
            tx.oncomplete = resolve;
            tx.onerror = () => reject(tx.error);
          });
          const t2 = performance.now();
          db.close();
          return { issue: t1 - t0, commit: t2 - t1 };
        },
        [way, RECORDS] as const,
      );
      results.get(way)!.issue.push(issue);
      results.get(way)!.commit.push(commit);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`\n| ${RECORDS.toLocaleString('en')} secret-sized records (median of ${RUNS}) | writes issued | then committed |`);
  console.log('| --- | --- | --- |');
  for (const [way, r] of results) console.log(`| ${way} | ${median(r.issue).toFixed(0)} ms | ${median(r.commit).toFixed(0)} ms |`);
} finally {
  await browser.close();
  site.close();
}
