/**
 * Loaded into the server process by bench/live.ts only (`node --expose-gc --import ./bench/live-probe.mjs`;
 * plain JavaScript, so it also loads into a server run without tsx):
 * answers the bench over the IPC channel with the process's memory after a full garbage collection,
 * so a reading is what the process holds, not what a collection has not freed yet. The server's own
 * code knows nothing of it.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const MiB = 1024 * 1024;
const gc = globalThis.gc;

/** In MiB: what bench/live.ts's `MemoryReading` describes. */
function reading() {
  // Several passes: weak callbacks and finalizers free more on the next one.
  for (let i = 0; i < 3; i++) gc?.();
  const usage = process.memoryUsage();
  const vmRss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  return {
    rss: vmRss / MiB,
    heapUsed: usage.heapUsed / MiB,
    heapTotal: usage.heapTotal / MiB,
    external: usage.external / MiB,
    arrayBuffers: usage.arrayBuffers / MiB,
    mallocedMemory: getHeapStatistics().malloced_memory / MiB,
  };
}

process.on('message', (message) => {
  if (message.probe === 'memory') process.send?.({ probe: 'memory', reading: reading() });
  if (message.probe === 'snapshot') process.send?.({ probe: 'snapshot', file: writeHeapSnapshot(message.path) });
});
// The IPC channel must not keep a server alive that was told to stop.
process.channel?.unref();
