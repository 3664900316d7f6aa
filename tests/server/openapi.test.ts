import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer, testConfig } from './helpers/harness';

describe('GET /openapi.json', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer('pglite', testConfig({ toolkit: true }));
  });
  afterAll(async () => s?.stop());

  it('describes every route, with request bodies from the validation schemas', async () => {
    const res = await s.api.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual(
      [
        '/healthz',
        '/api/v1/auth/register',
        '/api/v1/auth/prelogin',
        '/api/v1/auth/login',
        '/api/v1/auth/password',
        '/api/v1/auth/logout',
        '/api/v1/account',
        '/api/v1/org/memberships',
        '/api/v1/safes',
        '/api/v1/safes/{id}',
        '/api/v1/sync',
        '/api/v1/items/batch',
        '/api/v1/items/{id}/revisions',
        '/v1/auth/generate-key',
        '/v1/auth/generate-keypair',
        '/v1/auth/encrypt',
        '/v1/auth/decrypt',
      ].sort(),
    );
    const register = res.body.paths['/api/v1/auth/register'].post.requestBody.content['application/json'].schema;
    expect(register.required).toEqual(expect.arrayContaining(['email', 'password']));
    const password = res.body.paths['/api/v1/auth/password'].post;
    expect(password.security).toEqual([{ bearer: [] }]);
    const passwordSchema = password.requestBody.content['application/json'].schema;
    expect(passwordSchema.required).toEqual(['current_password', 'password', 'kdf', 'keys']);
    expect(passwordSchema.properties.kdf.oneOf[0].properties.memoryKiB.minimum).toBe(19456);
    expect(Object.keys(password.responses)).toEqual(expect.arrayContaining(['200', '401', '409', '429']));
    const createSafe = res.body.paths['/api/v1/safes'].post;
    const safeSchema = createSafe.requestBody.content['application/json'].schema;
    expect(safeSchema.required).toEqual(['name']);
    expect(safeSchema.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
    expect(Object.keys(createSafe.responses)).toEqual(expect.arrayContaining(['200', '201', '409']));
    const batch = res.body.paths['/api/v1/items/batch'].post.requestBody.content['application/json'].schema;
    expect(batch.properties.items.maxItems).toBe(1000);
    expect(batch.properties.items.items.required).toEqual(expect.arrayContaining(['id', 'safe_id', 'kind', 'baseRevision']));
    const revisions = res.body.paths['/api/v1/items/{id}/revisions'].get;
    expect(revisions.parameters[1]).toMatchObject({
      name: 'id',
      in: 'path',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
    });
    expect(revisions.responses['200'].content['application/json'].schema.properties.revisions.maxItems).toBe(20);
  });
});
