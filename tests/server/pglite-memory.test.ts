/**
 * PGlite's share of the server's memory (docs/server.md, "Live updates"): PostgreSQL's shared
 * memory kept small, and PGlite's WebAssembly left on V8's baseline compiler by the server's Node
 * flags (scripts/server-flags.mjs), since the optimising recompiles needed 56–95 MiB of compiler
 * memory that glibc then kept. Measured in a process of its own, started as the server is.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

const script = fileURLToPath(new URL('./scripts/pglite-memory.ts', import.meta.url));

describe('PGlite memory', () => {
  it('runs with 2 MB of shared buffers and 5 connections, with little compiler memory (no optimising recompiles)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', script], { timeout: 90_000 });
    const found = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      sharedBuffers: { setting: string; unit: string };
      maxConnections: { setting: string };
      peakCompilerMiB: number;
    };
    expect(found.sharedBuffers).toEqual({ setting: '256', unit: '8kB' });
    expect(found.maxConnections.setting).toBe('5');
    // 15 MiB measured on the baseline compiler alone, 95 MiB with tier-up (same script).
    expect(found.peakCompilerMiB).toBeLessThan(40);
  }, 120_000);
});
