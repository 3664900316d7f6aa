/**
 * The VaultPAM quickstart (../shared/reference/002_…txt) must work against Keysmith as written:
 * login → memberships → safes with the Authorization and X-Active-Org-Id headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { backends, type Running, startServer } from './helpers/harness';
import type { Account } from './helpers/api';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./scripts/vaultpam_quickstart.py', import.meta.url));

describe.each(backends)('VaultPAM quickstart (%s)', (backend) => {
  let s: Running;
  let a: Account;
  beforeAll(async () => {
    s = await startServer(backend);
    a = await s.api.signup('vaultpam');
    await s.api.createSafe(a, 'Payments');
    await s.api.createSafe(a, 'Infra');
  });
  afterAll(async () => s?.stop());

  it("runs the quickstart's exact requests (fetch)", async () => {
    const BASE_URL = s.url;
    const response = await fetch(`${BASE_URL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: a.email, password: a.password }),
    });
    expect(response.ok).toBe(true);
    const auth_data = await response.json();
    const token = auth_data.access_token;
    expect(auth_data.expires_in).toBe(3600);

    const org_response = await fetch(`${BASE_URL}/api/v1/org/memberships`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(org_response.ok).toBe(true);
    const org_id = (await org_response.json()).active_org_id;
    expect(org_id).toBe(a.orgId);

    const safes_response = await fetch(`${BASE_URL}/api/v1/safes`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Active-Org-Id': org_id },
    });
    expect(safes_response.ok).toBe(true);
    expect(safes_response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const safes = await safes_response.json();
    expect(Array.isArray(safes)).toBe(true);
    expect(safes.map((safe: { name?: string; id: string }) => safe.name ?? safe.id)).toEqual(['Payments', 'Infra']);
  });

  it('runs the quickstart in Python (urllib)', async () => {
    const { stdout } = await run('python3', [script, a.email, a.password], {
      env: { ...process.env, VAULTPAM_BASE_URL: s.url },
    });
    expect(stdout).toContain('Authenticated. Token expires in 3600 seconds.');
    expect(stdout).toContain(`Active org: ${a.orgId}`);
    expect(stdout).toMatch(/Rate limit remaining: \d+/);
    expect(stdout).toContain('Safes (2):\n Payments\n Infra');
  });

  it('reports an API error with its status, as the quickstart expects', async () => {
    const failure = await run('python3', [script, a.email, 'wrong-password'], {
      env: { ...process.env, VAULTPAM_BASE_URL: s.url },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((failure as { code: number }).code).toBe(1);
    expect((failure as { stderr: string }).stderr).toContain('API error 401');
  });
});
