import { ValidationError } from '@carequeue/core';
import { createClient } from '@supabase/supabase-js';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../canonical-form.js';
import { AuditSupabaseRequestError } from '../errors.js';
import { sampleAuditEvent } from '../testing/sample-event.js';
import { toEventRecord } from './event-row.js';
import { supabaseAuditStore } from './supabase.js';

const URL_BASE = 'https://project.supabase.test';
const KEY = 'service-role-key';
const TENANT = '0b7f7f4e-5d43-4c8f-9a51-3f5f0f6a1e01';

interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

type Responder = (request: RecordedRequest) => Response;

// The store never subscribes, so realtime gets a transport that throws if anything tries to
// connect.
class NoRealtimeTransport {
  constructor() {
    throw new Error('The audit store opens no realtime connection.');
  }
}

const server = setupServer();

function postgrest(respond: Responder) {
  const requests: RecordedRequest[] = [];
  server.use(
    http.all(`${URL_BASE}/rest/v1/*`, async ({ request }) => {
      const text = await request.text();
      const recorded = {
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(recorded);
      return respond(recorded);
    }),
  );
  const client = createClient(URL_BASE, KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtimeTransport as never },
  });
  return { store: supabaseAuditStore({ client }), requests };
}

function json(body: unknown, status = 200): Response {
  return HttpResponse.json(body as JsonBodyType, { status });
}

describe('supabaseAuditStore', () => {
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('appends through the append_events function over RPC, never into the table, when events are appended', async () => {
    const { store, requests } = postgrest(() => new HttpResponse(null, { status: 204 }));
    const event = sampleAuditEvent({ tenantId: TENANT });
    await store.append([event]);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url.pathname).toBe('/rest/v1/rpc/append_events');
    expect(request?.headers.get('apikey')).toBe(KEY);
    expect(request?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(request?.headers.get('content-profile')).toBe('audit');
    expect(request?.body).toEqual({ p_events: [JSON.parse(JSON.stringify(toEventRecord(event)))] });
  });

  it('sends nothing when an empty batch is appended', async () => {
    const { store, requests } = postgrest(() => new HttpResponse(null, { status: 201 }));
    await store.append([]);
    expect(requests).toHaveLength(0);
  });

  it('calls the seal function over RPC in the audit schema when sealing', async () => {
    const { store, requests } = postgrest(() => json(8));
    expect(await store.seal(TENANT, 500)).toBe(8);
    expect(requests[0]?.url.pathname).toBe('/rest/v1/rpc/seal');
    expect(requests[0]?.headers.get('content-profile')).toBe('audit');
    expect(requests[0]?.body).toEqual({ p_tenant: TENANT, p_limit: 500 });
  });

  it('returns the genesis position when the chain head RPC returns no row', async () => {
    const { store } = postgrest(() => json([]));
    expect(await store.head(TENANT)).toEqual({ sequence: 0, hash: GENESIS_HASH });
  });

  it('returns the last sealed position when the chain head RPC returns a row', async () => {
    const { store } = postgrest(() => json([{ sequence: '3', payload_hash: 'c'.repeat(64) }]));
    expect(await store.head(TENANT)).toEqual({ sequence: 3, hash: 'c'.repeat(64) });
  });

  it('reports the first edited link when the recomputed hash differs', async () => {
    const { store, requests } = postgrest(() =>
      json([
        {
          sequence: 1,
          previous_hash: GENESIS_HASH,
          payload_hash: 'a'.repeat(64),
          recomputed_hash: 'a'.repeat(64),
        },
        {
          sequence: 2,
          previous_hash: 'a'.repeat(64),
          payload_hash: 'b'.repeat(64),
          recomputed_hash: 'c'.repeat(64),
        },
      ]),
    );
    const result = await store.verify(TENANT);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ break: { sequence: 2, kind: 'edited' } });
    expect(requests[0]?.url.pathname).toBe('/rest/v1/rpc/chain_links');
    expect(requests[0]?.body).toMatchObject({ p_tenant: TENANT, p_after: 0, p_limit: 1000 });
  });

  it('reads the trail view with filters, order and a keyset cursor when paging', async () => {
    const event = sampleAuditEvent({ tenantId: TENANT });
    const row = {
      ...(JSON.parse(JSON.stringify(toEventRecord(event))) as Record<string, unknown>),
      sequence: 1,
      payload_hash: 'a'.repeat(64),
      previous_hash: GENESIS_HASH,
    };
    const { store, requests } = postgrest(() => json([row, row]));
    const first = await store.query({ tenantId: TENANT, patientId: 'p-1', limit: 1 });
    expect(first.items.map((item) => item.id)).toEqual([event.id]);
    expect(first.items[0]?.sequence).toBe(1);
    expect(first.nextCursor).not.toBeNull();
    await store.query({ tenantId: TENANT, patientId: 'p-1', limit: 1, cursor: first.nextCursor! });
    const [initial, next] = requests;
    expect(initial?.method).toBe('GET');
    expect(initial?.url.pathname).toBe('/rest/v1/trail');
    expect(initial?.headers.get('accept-profile')).toBe('audit');
    expect(initial?.url.searchParams.get('tenant_id')).toBe(`eq.${TENANT}`);
    expect(initial?.url.searchParams.get('patient_id')).toBe('eq.p-1');
    expect(initial?.url.searchParams.get('order')).toBe('timestamp.asc,id.asc');
    expect(initial?.url.searchParams.get('limit')).toBe('2');
    const stamp = event.timestamp.toISOString();
    expect(next?.url.searchParams.get('or')).toBe(
      `(timestamp.gt."${stamp}",and(timestamp.eq."${stamp}",id.gt."${event.id}"))`,
    );
  });

  it('maps a PostgREST error body to a typed error without its text when a request is refused', async () => {
    const { store } = postgrest(() =>
      json(
        {
          code: '42501',
          message: 'permission denied for function seal',
          details: null,
          hint: null,
        },
        403,
      ),
    );
    const error = await store.seal(TENANT).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuditSupabaseRequestError);
    const typed = error as AuditSupabaseRequestError;
    expect(typed.status).toBe(403);
    expect(typed.postgrestCode).toBe('42501');
    expect(typed.message.startsWith('[audit:supabase] seal was refused')).toBe(true);
    expect(typed.message).not.toContain('permission denied');
    expect(typed.cause).toMatchObject({
      code: '42501',
      message: 'permission denied for function seal',
    });
  });

  it('maps a missing function error to a 503 with its PostgREST code when the schema is not migrated', async () => {
    const { store } = postgrest(() =>
      json(
        {
          code: 'PGRST202',
          message: 'Could not find the function audit.chain_head(p_tenant) in the schema cache',
          details: 'Searched for the function audit.chain_head with parameter p_tenant',
          hint: null,
        },
        404,
      ),
    );
    await expect(store.head(TENANT)).rejects.toMatchObject({
      code: 'AUDIT_SUPABASE_REQUEST_FAILED',
      status: 503,
      postgrestCode: 'PGRST202',
    });
  });

  it('wraps a network failure with no PostgREST code when PostgREST is unreachable', async () => {
    const { store } = postgrest(() => HttpResponse.error());
    await expect(store.append([sampleAuditEvent({ tenantId: TENANT })])).rejects.toMatchObject({
      code: 'AUDIT_SUPABASE_REQUEST_FAILED',
      postgrestCode: null,
    });
  });

  it('refuses an invalid trail query with a ValidationError before sending any request', async () => {
    const { store, requests } = postgrest(() => json([]));
    const bad = [
      { tenantId: TENANT, sortBy: 'constructor' as never },
      { tenantId: TENANT, limit: Number.NaN },
      { tenantId: TENANT, from: new Date(Date.UTC(-50, 0, 1)) },
    ];
    for (const query of bad) {
      await expect(store.query(query)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(requests).toHaveLength(0);
  });

  // A schema with a line break made fetch throw a raw TypeError (Headers.set) on the first
  // request, and one with a quote a 503; a client whose schema() gave no PostgREST client failed
  // with a raw TypeError on every call, and one whose schema() threw leaked its own error.
  it('refuses a schema that is no name, or a client without a PostgREST schema client, when built', async () => {
    const { requests } = postgrest(() => json([]));
    const client = createClient(URL_BASE, KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: NoRealtimeTransport as never },
    });
    const pathOf = (build: () => unknown): string[] => {
      try {
        build();
      } catch (error: unknown) {
        return error instanceof ValidationError ? error.issues.map((found) => found.path) : [];
      }
      return [];
    };
    for (const schema of ['audit\nx', 'a"b', 'two words', '1audit', '', 'a'.repeat(64)]) {
      expect(pathOf(() => supabaseAuditStore({ client, schema }))).toEqual(['options.schema']);
    }
    const clients = [
      { schema: () => undefined },
      { schema: () => ({ from: () => undefined }) },
      {
        schema: () => {
          throw new Error('client failed');
        },
      },
    ];
    for (const fake of clients) {
      expect(pathOf(() => supabaseAuditStore({ client: fake as never }))).toEqual([
        'options.client',
      ]);
    }
    const store = supabaseAuditStore({ client, schema: 'audit_v2' });
    await store.head(TENANT);
    expect(requests.map((request) => request.headers.get('content-profile'))).toEqual(['audit_v2']);
  });
});
