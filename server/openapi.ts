/**
 * `/openapi.json`: an OpenAPI 3.1 summary of the API. Request bodies come from the same zod
 * schemas the routes validate with (zod 4's `toJSONSchema`), so they cannot drift; responses
 * are described in prose and in docs/server.md.
 */
import { z } from 'zod';
import type { Config } from './config';
import { DeleteAccountBody } from './routes/account';
import { ChangePasswordBody, LoginBody, RegisterBody } from './routes/auth';
import { SafeBody, SafeCreateBody } from './routes/safes';
import { batchBody, PullPage, PushAnswer, RevisionsAnswer, WireItem } from '../lib/sync/wire';

const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } },
});
const answer = (description: string) => ({ description });
/** An answer whose body is a wire-contract schema (lib/sync/wire.ts), the one the client checks answers with. */
const answerWith = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) } },
});
const errors = {
  '400': answer('Invalid input or malformed JSON: {error:{code,message}}'),
  '401': answer('Missing, expired or revoked token'),
  '429': answer('Rate limited; see Retry-After'),
  '503': answer('overloaded: the server-wide budget for PBKDF2, key-pair and legacy scrypt work is spent; see Retry-After'),
};
const bearer = [{ bearer: [] }];
const orgHeader = { name: 'X-Active-Org-Id', in: 'header', required: true, schema: { type: 'string', format: 'uuid' } };
const safeId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const toolkitBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };

/** Present only when the operator turned the Toolkit on (KEYSMITH_TOOLKIT=on). */
const toolkitPaths = {
  '/v1/auth/generate-key': {
    get: {
      summary: 'Toolkit: generate an API key, UUID v4, nanoid or secret',
      security: bearer,
      parameters: ['type', 'prefix', 'length'].map((name) => ({
        name,
        in: 'query',
        required: name === 'type',
        schema: { type: name === 'length' ? 'integer' : 'string' },
      })),
      responses: { '200': answer('{key, type, entropy_bits}'), ...errors },
    },
  },
  '/v1/auth/generate-keypair': {
    post: {
      summary: 'Toolkit: RSA or EC key pair as PEM',
      security: bearer,
      requestBody: toolkitBody,
      responses: { '200': answer('{public_key, private_key, algorithm, key_size, curve}'), ...errors },
    },
  },
  '/v1/auth/encrypt': {
    post: {
      summary: 'Toolkit: AES-256-GCM encrypt',
      security: bearer,
      requestBody: toolkitBody,
      responses: { '200': answer('{ciphertext, iv, tag, salt, algorithm}'), ...errors },
    },
  },
  '/v1/auth/decrypt': {
    post: {
      summary: 'Toolkit: AES-256-GCM decrypt',
      security: bearer,
      requestBody: toolkitBody,
      responses: { '200': answer('{plaintext, algorithm}'), ...errors },
    },
  },
};

export function openApiDocument(config: Config) {
  const org = { security: bearer, parameters: [orgHeader] };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keysmith sync API',
      version: '1',
      description:
        'Zero-knowledge ciphertext sync. Every response carries x-ratelimit-limit and x-ratelimit-remaining. ' +
        "CORS answers go only to the extension's own pages (Origin chrome-extension://… or moz-extension://…).",
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/healthz': { get: { summary: 'Ready once the database is open', responses: { '200': answer('{status, database}') } } },
      '/api/v1/auth/register': {
        post: {
          summary: 'Create an account and its personal org',
          requestBody: jsonBody(RegisterBody),
          responses: {
            '201': answer('{user_id, org_id}'),
            '403': answer('registration_closed, or invite_required (registration by invitation, and no valid unused invite)'),
            '409': answer('E-mail already registered (open registration, or with a valid invite)'),
            ...errors,
            '429': answer('Too many registrations from this address or on this server; see Retry-After'),
          },
        },
      },
      '/api/v1/auth/prelogin': {
        get: {
          summary: 'KDF parameters for an e-mail (made up but stable, and shaped like a real answer, for unknown ones)',
          parameters: [{ name: 'email', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            '200': answer('{kdf}: the stored kdf, or {name:"Argon2id", memoryKiB:65536, passes:3, parallelism:4, salt:<16 bytes base64>}'),
            ...errors,
          },
        },
      },
      '/api/v1/auth/login': {
        post: {
          summary: 'Exchange credentials for a bearer token',
          requestBody: jsonBody(LoginBody),
          responses: { '200': answer('{access_token, token_type, expires_in, keys}'), ...errors },
        },
      },
      '/api/v1/auth/password': {
        post: {
          summary: 'Change the login material: re-authenticates with current_password, revokes every other token',
          security: bearer,
          requestBody: jsonBody(ChangePasswordBody),
          responses: {
            '200': answer('{revoked_sessions}: how many other live tokens were revoked; this one stays valid'),
            ...errors,
            '401': answer('Missing, expired or revoked token, or wrong current_password (counts toward the sign-in lockout)'),
            '409': answer('The password was changed by another request meanwhile'),
            '429': answer('Rate limited or sign-in locked; see Retry-After'),
          },
        },
      },
      '/api/v1/auth/logout': {
        post: { summary: 'Revoke this token', security: bearer, responses: { '204': answer('Revoked'), ...errors } },
      },
      '/api/v1/account': {
        delete: {
          summary:
            'Delete this account: re-authenticates with password (the auth secret), then removes the user, its tokens, the orgs it alone owns with their safes and items, and its memberships',
          security: bearer,
          requestBody: jsonBody(DeleteAccountBody),
          responses: {
            '200': answer('{deleted:true, removed_orgs}'),
            ...errors,
            '401': answer('Missing, expired or revoked token, or wrong password (counts toward the sign-in lockout); nothing was deleted'),
            '429': answer('Rate limited or sign-in locked; see Retry-After'),
          },
        },
      },
      '/api/v1/org/memberships': {
        get: {
          summary: "The caller's orgs",
          security: bearer,
          responses: { '200': answer('{active_org_id, memberships:[{org_id,name,role}]}'), ...errors },
        },
      },
      '/api/v1/safes': {
        get: { summary: 'List safes', ...org, responses: { '200': answer('[{id,name,created_at,updated_at}]'), ...errors } },
        post: {
          summary: 'Create a safe, with an id of your choosing or one the server picks',
          ...org,
          requestBody: jsonBody(SafeCreateBody),
          responses: {
            '201': answer('The new safe {id,name,created_at,updated_at}'),
            '200': answer('A safe with this id already exists in this org (a retry): that safe, unchanged'),
            '409': answer('The id belongs to a safe in another org: {error:{code:"conflict",message}}'),
            ...errors,
          },
        },
      },
      '/api/v1/safes/{id}': {
        get: {
          summary: 'Read a safe',
          ...org,
          parameters: [orgHeader, safeId],
          responses: { '200': answer('The safe'), '404': answer('Not in this org') },
        },
        patch: {
          summary: 'Rename a safe',
          ...org,
          parameters: [orgHeader, safeId],
          requestBody: jsonBody(SafeBody),
          responses: { '200': answer('The safe'), '404': answer('Not in this org'), ...errors },
        },
        delete: {
          summary: 'Delete a safe; its items become tombstones',
          ...org,
          parameters: [orgHeader, safeId],
          responses: { '204': answer('Deleted'), '404': answer('Not in this org') },
        },
      },
      '/api/v1/sync': {
        get: {
          summary: 'Changes since a cursor (snapshot without one)',
          ...org,
          parameters: [
            orgHeader,
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: config.syncMaxLimit } },
          ],
          responses: { '200': answerWith('{items, cursor, hasMore, snapshot, fullResync}', PullPage), ...errors },
        },
      },
      '/api/v1/items/batch': {
        post: {
          summary: 'Write items with optimistic concurrency (baseRevision)',
          ...org,
          requestBody: jsonBody(batchBody(config.batchMaxItems)),
          responses: {
            '200': answerWith('{results:[{id,ok:true,revision}|{id,ok:false,conflict}]}', PushAnswer),
            '404': answer('A safe is not in this org'),
            '507': answer('quota_exceeded: the batch would take the org past its item or byte quota; nothing was written'),
            ...errors,
          },
        },
      },
      '/api/v1/items/{id}/revisions': {
        get: {
          summary: "A secret's earlier versions the server kept as it overwrote them (at most 20, newest first)",
          ...org,
          parameters: [orgHeader, { name: 'id', in: 'path', required: true, schema: z.toJSONSchema(WireItem.shape.id) }],
          responses: {
            '200': answerWith(
              "{revisions:[item]}: each in the pull's item shape with deleted:false; an unknown id, or one of another org, gets an empty list",
              RevisionsAnswer,
            ),
            ...errors,
          },
        },
      },
      ...(config.toolkit ? toolkitPaths : {}),
    },
  };
}
