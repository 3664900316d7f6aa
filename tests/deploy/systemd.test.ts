/**
 * docs/deploy/keysmith@.service as systemd reads it: `systemd-analyze verify` reports every
 * unknown key and bad value (on stderr, with exit code 0), so any word it says fails the test;
 * and the hardening the docs promise is all there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeDir, root, tempDir } from './stack';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

const UNIT = join(root, 'docs/deploy/keysmith@.service');

describe('the systemd unit', () => {
  it('is read by systemd-analyze verify without a warning', () => {
    const dir = tempDir('keysmith-unit-');
    try {
      // An instance of the template, as `systemctl enable keysmith@8787` makes.
      const instance = join(dir, 'keysmith@8787.service');
      copyFileSync(UNIT, instance);
      execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
      const verify = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8', timeout: 30_000 });
      expect(verify.status).toBe(0);
      expect(verify.stderr + verify.stdout).toBe('');
    } finally {
      removeDir(dir);
    }
  });

  it('keeps the hardening options and starts node itself', () => {
    const unit = readFileSync(UNIT, 'utf8');
    for (const line of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'CapabilityBoundingSet=',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
      'SystemCallFilter=@system-service',
      `ExecStart=/usr/bin/node ${SERVER_NODE_FLAGS.join(' ')} --import tsx server/main.ts`,
      'KillSignal=SIGTERM',
    ]) {
      expect(unit.split('\n'), line).toContain(line);
    }
  });
});
