import {
  ConflictError,
  ExternalServiceError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  ValidationError,
} from '@carequeue/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observedClock, type ObservedClock } from '../test/fake-clock.js';
import { signalled } from '../test/signal.js';
import { ApiError, ClientConfigError } from './errors.js';
import { httpTransport, type HttpTransportOptions } from './http-transport.js';
import type { RequestHookContext, ResponseHookContext } from './hooks.js';

const BASE = 'https://api.carequeue.test/tenant-a';
const TIMEOUT = 987_654;
const notTimeout = (ms: number): boolean => ms !== TIMEOUT;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function problem(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return HttpResponse.json(
    { type: 'about:blank', title: 'Error', status, code, ...extra },
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

function setup(options: Partial<HttpTransportOptions> = {}) {
  const clock = observedClock();
  let keys = 0;
  const transport = httpTransport({
    baseUrl: BASE,
    timeoutMs: TIMEOUT,
    clock,
    random: () => 0.5,
    newIdempotencyKey: () => `key-${++keys}`,
    ...options,
  });
  return { clock, transport };
}

/** Fires the next `count` back-off waits and returns their lengths. */
async function fireBackoffs(clock: ObservedClock, count: number): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const next = await clock.nextTimer(notTimeout);
    waits.push(next.ms);
    await next.fire();
  }
  return waits;
}

describe('httpTransport', () => {
  it('sends the path under the base URL with the query, the bearer token and a JSON body', async () => {
    let seen: Request | undefined;
    let body: unknown;
    server.use(
      http.put(`${BASE}/api/v1/clinics/cln_1`, async ({ request }) => {
        seen = request;
        body = await request.json();
        return HttpResponse.json({ id: 'cln_1' }, { headers: { 'x-request-id': 'req-9' } });
      }),
    );
    const { transport } = setup({ getToken: () => Promise.resolve('tok-1') });
    const response = await transport.request({
      method: 'PUT',
      path: '/api/v1/clinics/cln_1',
      query: { expand: ['hours', 'staff'], dryRun: false, skip: undefined },
      body: { name: 'North' },
    });
    expect(response).toMatchObject({ status: 200, body: { id: 'cln_1' }, requestId: 'req-9' });
    expect(new URL(seen!.url).search).toBe('?expand=hours&expand=staff&dryRun=false');
    expect(seen!.headers.get('authorization')).toBe('Bearer tok-1');
    expect(seen!.headers.get('content-type')).toBe('application/json');
    expect(seen!.headers.get('idempotency-key')).toBeNull();
    expect(body).toEqual({ name: 'North' });
  });

  it('sends no Authorization header when getToken returns nothing, and reads empty and text bodies', async () => {
    let auth: string | null = 'unset';
    server.use(
      http.delete(`${BASE}/api/v1/holds/h_1`, ({ request }) => {
        auth = request.headers.get('authorization');
        return new HttpResponse(null, { status: 204 });
      }),
      http.get(`${BASE}/health`, () => HttpResponse.text('ok')),
    );
    const { transport } = setup({ getToken: () => null });
    expect(
      (await transport.request({ method: 'DELETE', path: '/api/v1/holds/h_1' })).body,
    ).toBeUndefined();
    expect(auth).toBeNull();
    expect((await transport.request({ method: 'GET', path: '/health' })).body).toBe('ok');
  });

  it('maps problem documents to CareQueue error classes with requestId and retryAfterMs', async () => {
    server.use(
      http.get(`${BASE}/api/v1/patients/pat_1`, () =>
        problem(404, 'NOT_FOUND', { resource: 'patient' }, { 'x-request-id': 'req-404' }),
      ),
      http.post(`${BASE}/api/v1/appointments`, () =>
        problem(400, 'VALIDATION_FAILED', {
          detail: 'The appointment is invalid.',
          issues: [{ path: 'start', message: 'must be a date-time' }],
          instance: 'urn:correlation:req-400',
        }),
      ),
      http.post(`${BASE}/api/v1/holds`, () =>
        problem(409, 'SLOT_TAKEN', { detail: 'The slot was taken.' }),
      ),
    );
    const { transport } = setup();
    const notFound = await transport
      .request({ method: 'GET', path: '/api/v1/patients/pat_1' })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toMatchObject({ status: 404, resource: 'patient', requestId: 'req-404' });

    const invalid = await transport
      .request({ method: 'POST', path: '/api/v1/appointments', body: {} })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({
      requestId: 'req-400',
      issues: [{ path: 'start', message: 'must be a date-time' }],
    });

    const conflict = await transport
      .request({ method: 'POST', path: '/api/v1/holds', body: {} })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({
      code: 'SLOT_TAKEN',
      status: 409,
      message: 'The slot was taken.',
    });
  });

  it('waits as long as a 429 Retry-After in seconds says, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/queues`, () =>
        ++calls === 1
          ? problem(429, 'RATE_LIMITED', {}, { 'retry-after': '3' })
          : HttpResponse.json({ items: [] }),
      ),
    );
    const { clock, transport } = setup();
    const call = transport.request({ method: 'GET', path: '/api/v1/queues' });
    expect(await fireBackoffs(clock, 1)).toEqual([3000]);
    expect((await call).body).toEqual({ items: [] });
    expect(calls).toBe(2);
  });

  it('waits until the HTTP date of a 503 Retry-After', async () => {
    let calls = 0;
    const { clock, transport } = setup();
    const at = new Date(clock.now() + 7000).toUTCString();
    server.use(
      http.get(`${BASE}/api/v1/queues`, () =>
        ++calls === 1
          ? problem(503, 'UNAVAILABLE', {}, { 'retry-after': at })
          : HttpResponse.json({ ok: true }),
      ),
    );
    const call = transport.request({ method: 'GET', path: '/api/v1/queues' });
    expect(await fireBackoffs(clock, 1)).toEqual([7000]);
    expect((await call).body).toEqual({ ok: true });
  });

  it('retries a 503 without Retry-After with exponential full-jitter back-off, then throws with the request id', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/queues`, () => {
        calls += 1;
        return problem(503, 'SERVICE_UNAVAILABLE', {}, { 'x-request-id': `req-${calls}` });
      }),
    );
    const randoms = [0.5, 0.25, 0.75];
    const { clock, transport } = setup({
      random: () => randoms.shift()!,
      retries: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 300 },
    });
    const call = transport
      .request({ method: 'GET', path: '/api/v1/queues' })
      .catch((e: unknown) => e);
    // ceilings 100, 200, 300 (capped): waits are the jittered fraction of each.
    expect(await fireBackoffs(clock, 3)).toEqual([50, 50, 225]);
    const error = await call;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, requestId: 'req-4' });
    expect(calls).toBe(4);
  });

  it('sends one Idempotency-Key on every attempt of a POST, and a new one per call', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(`${BASE}/api/v1/appointments`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return keys.length % 3 === 0
          ? HttpResponse.json({ id: 'apt_1' }, { status: 201 })
          : problem(502, 'BAD_GATEWAY');
      }),
    );
    const { clock, transport } = setup();
    const first = transport.request({
      method: 'POST',
      path: '/api/v1/appointments',
      body: { slot: 's' },
    });
    await fireBackoffs(clock, 2);
    expect((await first).status).toBe(201);
    const second = transport.request({
      method: 'POST',
      path: '/api/v1/appointments',
      body: { slot: 's' },
    });
    await fireBackoffs(clock, 2);
    await second;
    expect(keys).toEqual(['key-1', 'key-1', 'key-1', 'key-2', 'key-2', 'key-2']);
  });

  it('uses the Idempotency-Key the caller gives', async () => {
    let key: string | null = null;
    server.use(
      http.patch(`${BASE}/api/v1/patients/pat_1`, ({ request }) => {
        key = request.headers.get('idempotency-key');
        return HttpResponse.json({});
      }),
    );
    await setup().transport.request({
      method: 'PATCH',
      path: '/api/v1/patients/pat_1',
      body: {},
      idempotencyKey: 'mine',
    });
    expect(key).toBe('mine');
  });

  it('cancels during back-off when the signal aborts, sending no further attempt', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/api/v1/appointments`, () => {
        calls += 1;
        return problem(429, 'RATE_LIMITED', {}, { 'retry-after': '30' });
      }),
    );
    const { clock, transport } = setup();
    const controller = new AbortController();
    const call = transport
      .request({
        method: 'POST',
        path: '/api/v1/appointments',
        body: {},
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    const wait = await clock.nextTimer(notTimeout);
    expect(wait.ms).toBe(30_000);
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(calls).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('throws RateLimitedError with retryAfterMs when Retry-After exceeds maxRetryAfterMs', async () => {
    server.use(
      http.get(`${BASE}/api/v1/queues`, () =>
        problem(429, 'RATE_LIMITED', {}, { 'retry-after': '120' }),
      ),
    );
    const error = await setup()
      .transport.request({ method: 'GET', path: '/api/v1/queues' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 120_000 });
  });

  it('does not retry a 4xx answer other than 429', async () => {
    let calls = 0;
    server.use(
      http.get(
        `${BASE}/api/v1/queues`,
        () => (calls++, problem(403, 'FORBIDDEN', { permission: 'queue:read' })),
      ),
    );
    const error = await setup()
      .transport.request({ method: 'GET', path: '/api/v1/queues' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FORBIDDEN', permission: 'queue:read' });
    expect(calls).toBe(1);
  });

  it('retries network errors, then throws ExternalServiceError with the cause', async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/api/v1/queues`, () => (calls++, HttpResponse.error())));
    const { clock, transport } = setup({ retries: 1 });
    const call = transport
      .request({ method: 'GET', path: '/api/v1/queues' })
      .catch((e: unknown) => e);
    await fireBackoffs(clock, 1);
    const error = await call;
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ code: 'API_UNREACHABLE' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(calls).toBe(2);
  });

  it('times out an attempt after timeoutMs and throws TimeoutError once retries are spent', async () => {
    let calls = 0;
    const { promise: entered, resolve: enter } = signalled();
    server.use(
      http.get(`${BASE}/api/v1/queues`, async ({ request }) => {
        calls += 1;
        enter();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        return HttpResponse.json({});
      }),
    );
    const { clock, transport } = setup({ retries: 0 });
    const call = transport
      .request({ method: 'GET', path: '/api/v1/queues' })
      .catch((e: unknown) => e);
    await entered;
    await (await clock.nextTimer((ms) => ms === TIMEOUT)).fire();
    const error = await call;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: TIMEOUT });
    expect(calls).toBe(1);
  });

  it('rejects with the caller reason when the caller aborts mid-request', async () => {
    const { promise: entered, resolve: enter } = signalled();
    server.use(
      http.get(`${BASE}/api/v1/queues`, async ({ request }) => {
        enter();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        return HttpResponse.json({});
      }),
    );
    const { clock, transport } = setup();
    const controller = new AbortController();
    const call = transport
      .request({ method: 'GET', path: '/api/v1/queues', signal: controller.signal })
      .catch((e: unknown) => e);
    await entered;
    controller.abort(new Error('user left'));
    expect(await call).toEqual(new Error('user left'));
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { transport } = setup();
    const signal = AbortSignal.abort();
    const call = await transport
      .request({ method: 'GET', path: '/api/v1/queues', signal })
      .catch((e: unknown) => e);
    expect(call).toMatchObject({ name: 'AbortError' });
    const stream = await transport
      .openStream({ path: '/api/v1/events', signal })
      .catch((e: unknown) => e);
    expect(stream).toMatchObject({ name: 'AbortError' });
  });

  it('calls the request and response hooks on every attempt; a request hook may add headers', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/api/v1/queues`, ({ request }) => {
        seen.push(request.headers.get('x-client') ?? 'none');
        return seen.length === 1
          ? problem(504, 'GATEWAY_TIMEOUT')
          : HttpResponse.json({}, { headers: { 'request-id': 'r2' } });
      }),
    );
    const requests: RequestHookContext[] = [];
    const responses: ResponseHookContext[] = [];
    const { clock, transport } = setup({
      hooks: {
        onRequest: (context) => {
          requests.push(context);
          context.headers.set('x-client', 'kiosk/1');
        },
        onResponse: (context) => void responses.push(context),
      },
    });
    const call = transport.request({ method: 'GET', path: '/api/v1/queues' });
    await fireBackoffs(clock, 1);
    await call;
    expect(seen).toEqual(['kiosk/1', 'kiosk/1']);
    expect(requests.map((r) => [r.method, r.attempt, r.url.pathname])).toEqual([
      ['GET', 0, '/tenant-a/api/v1/queues'],
      ['GET', 1, '/tenant-a/api/v1/queues'],
    ]);
    expect(responses.map((r) => [r.status, r.attempt, r.requestId])).toEqual([
      [504, 0, undefined],
      [200, 1, 'r2'],
    ]);
  });

  it('fails the call, without retrying, when a hook throws', async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/api/v1/queues`, () => (calls++, problem(503, 'UNAVAILABLE'))));
    const failure = new Error('metrics backend down');
    const { transport } = setup({
      hooks: {
        onResponse: () => {
          throw failure;
        },
      },
    });
    expect(
      await transport.request({ method: 'GET', path: '/api/v1/queues' }).catch((e: unknown) => e),
    ).toBe(failure);
    expect(calls).toBe(1);
  });

  it('throws INVALID_RESPONSE for a success whose JSON is malformed, and ApiError for a non-problem error', async () => {
    server.use(
      http.get(
        `${BASE}/a`,
        () => new HttpResponse('{oops', { headers: { 'content-type': 'application/json' } }),
      ),
      http.get(
        `${BASE}/b`,
        () =>
          new HttpResponse('{oops', {
            status: 418,
            headers: { 'content-type': 'application/json' },
          }),
      ),
    );
    const { transport } = setup();
    expect(
      await transport.request({ method: 'GET', path: '/a' }).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'INVALID_RESPONSE',
      status: 502,
    });
    expect(
      await transport.request({ method: 'GET', path: '/b' }).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'API_ERROR',
      status: 418,
    });
  });

  it('refuses a body that is not JSON-serializable and a malformed path with ValidationError', async () => {
    const { transport } = setup();
    const body = await transport
      .request({ method: 'POST', path: '/a', body: { n: 1n } })
      .catch((e: unknown) => e);
    expect(body).toBeInstanceOf(ValidationError);
    expect(body).toMatchObject({ issues: [{ path: 'body' }] });
    const path = await transport.request({ method: 'GET', path: 'a?b' }).catch((e: unknown) => e);
    expect(path).toMatchObject({ issues: [{ path: 'path' }] });
  });

  it('refuses call arguments of the wrong type with ValidationError naming the argument', async () => {
    const { transport } = setup();
    const cases: [unknown, string][] = [
      [null, 'request'],
      [{ method: 'TRACE', path: '/a' }, 'method'],
      [{ method: 'GET', path: '/a', headers: { a: 1 } }, 'headers'],
      [{ method: 'GET', path: '/a', signal: {} }, 'signal'],
      [{ method: 'POST', path: '/a', idempotencyKey: 'has space' }, 'idempotencyKey'],
      [{ method: 'GET', path: '/a', query: 'limit=1' }, 'query'],
    ];
    for (const [request, path] of cases) {
      const error = await transport
        .request(request as Parameters<typeof transport.request>[0])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: [{ path }] });
      expect((error as Error).message).not.toContain('space');
    }
    const stream = await transport
      .openStream(null as unknown as Parameters<typeof transport.openStream>[0])
      .catch((e: unknown) => e);
    expect(stream).toMatchObject({ issues: [{ path: 'request' }] });
  });

  it('refuses invalid options with ClientConfigError', () => {
    const bad: unknown[] = [
      null,
      { baseUrl: BASE, getToken: 'token' },
      { baseUrl: BASE, fetch: 1 },
      { baseUrl: BASE, retries: 'many' },
      { baseUrl: BASE, hooks: { onRequest: 1 } },
      { baseUrl: BASE, clock: {} },
      { baseUrl: BASE, random: 0.5 },
      { baseUrl: BASE, newIdempotencyKey: 'k' },
    ];
    for (const options of bad) {
      expect(() => httpTransport(options as HttpTransportOptions)).toThrow(ClientConfigError);
    }
    expect(() => httpTransport({ baseUrl: 'not a url' })).toThrow(ClientConfigError);
    expect(() => httpTransport({ baseUrl: 'ftp://x.test' })).toThrow(ClientConfigError);
    expect(() => httpTransport({ baseUrl: BASE, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => httpTransport({ baseUrl: BASE, retries: -1 })).toThrow(/maxRetries/);
    expect(() => httpTransport({ baseUrl: BASE, retries: 1.5 })).toThrow(/integer/);
    expect(() => httpTransport({ baseUrl: BASE, retries: { baseDelayMs: Number.NaN } })).toThrow(
      /baseDelayMs/,
    );
  });

  it('opens an event stream with Accept text/event-stream and throws a problem answer', async () => {
    let accept: string | null = null;
    server.use(
      http.get(`${BASE}/api/v1/events`, ({ request }) => {
        accept = request.headers.get('accept');
        return new HttpResponse('data: x\n\n', {
          headers: { 'content-type': 'text/event-stream' },
        });
      }),
      http.get(`${BASE}/api/v1/denied`, () => problem(401, 'UNAUTHORIZED')),
    );
    const { transport } = setup();
    const response = await transport.openStream({ path: '/api/v1/events' });
    expect(accept).toBe('text/event-stream');
    expect(await response.text()).toBe('data: x\n\n');
    expect(
      await transport.openStream({ path: '/api/v1/denied' }).catch((e: unknown) => e),
    ).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
