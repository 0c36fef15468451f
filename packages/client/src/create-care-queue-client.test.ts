import {
  ClinicId,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
  isCarequeueError,
} from '@carequeue/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observedClock } from '../test/fake-clock.js';
import type { OperationDefinition } from './contract/operation.js';
import { operations, type OperationId } from './contract/operations.js';
import { examples, exampleIds } from './contract/examples.js';
import { createCareQueueClient, type CareQueueClient } from './create-care-queue-client.js';
import { ApiError, ResponseValidationError } from './errors.js';
import { careQueueHandlers, problem, rateLimited, serverError } from './msw/handlers.js';

const baseUrl = 'https://api.carequeue.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const callable = (Object.keys(operations) as OperationId[]).filter((id) => id !== 'streamEvents');
type AnyMethod = (input?: unknown, options?: unknown) => Promise<unknown>;
const method = (client: CareQueueClient, id: OperationId) =>
  (client as unknown as Record<string, AnyMethod>)[id] as AnyMethod;

/** The example input of an operation, as its client method takes it. */
function exampleInput(op: OperationDefinition) {
  const { params, query, body } = op.example;
  return {
    ...(params ? { params } : {}),
    ...(query ? { query } : {}),
    ...(body === undefined ? {} : { body }),
  };
}

/** The error an operation's first declared error status maps to (403 when it declares none). */
function expectedError(op: OperationDefinition) {
  const status = op.errors[0] ?? 403;
  switch (status) {
    case 404:
      return { status, code: 'NOT_FOUND', type: NotFoundError };
    case 409:
      return { status, code: 'SLOT_UNAVAILABLE', type: ConflictError };
    case 403:
      return { status, code: 'FORBIDDEN', type: ForbiddenError };
    default:
      return { status, code: status === 410 ? 'LINK_EXPIRED' : 'UNPROCESSABLE', type: ApiError };
  }
}

describe('createCareQueueClient', () => {
  it('has a method for every operation but the stream, which subscribe() reads', () => {
    const client = createCareQueueClient({ baseUrl });
    for (const id of callable) expect(typeof method(client, id), id).toBe('function');
    expect(typeof client.subscribe).toBe('function');
  });

  describe.each(callable)('%s', (id) => {
    const op: OperationDefinition = operations[id];

    it('answers the contract example on the happy path, validated', async () => {
      server.use(...careQueueHandlers({ baseUrl }));
      const client = createCareQueueClient({ baseUrl, validateResponses: true });
      const answer = await method(client, id)(exampleInput(op));
      expect(answer).toEqual(op.response?.parse(answer));
      if (op.pagination === undefined && op.status !== 201) {
        expect(answer).toEqual(op.response?.parse(op.example.response));
      }
    });

    it('throws the typed error of its first error status, with the request id', async () => {
      const { status, code, type } = expectedError(op);
      server.use(problem(id, { baseUrl, status, code }));
      const client = createCareQueueClient({ baseUrl, retries: 0 });
      const error: unknown = await method(client, id)(exampleInput(op)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect(isCarequeueError(error) && error.status).toBe(status);
      expect((error as { requestId?: string }).requestId).toBe(`msw-${status}`);
    });
  });

  it('refuses invalid input before sending anything, naming the field', async () => {
    let sent = 0;
    server.use(
      http.get(`${baseUrl}/api/v1/clinics/:clinicId`, () => ((sent += 1), HttpResponse.json({}))),
    );
    const client = createCareQueueClient({ baseUrl });
    const error = await client
      .getClinic({ params: { clinicId: 'not-an-id' as never } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'params.clinicId',
    ]);
    expect(JSON.stringify(error)).not.toContain('not-an-id');
    expect(sent).toBe(0);
  });

  it('throws ResponseValidationError for an answer off the contract, when validating', async () => {
    server.use(
      http.get(`${baseUrl}/api/v1/clinics/:clinicId`, () => HttpResponse.json({ id: 'x' })),
    );
    const strict = createCareQueueClient({ baseUrl, validateResponses: true });
    const input = { params: { clinicId: ClinicId.parse(exampleIds.clinicId) } };
    await expect(strict.getClinic(input)).rejects.toBeInstanceOf(ResponseValidationError);
    const lenient = createCareQueueClient({ baseUrl });
    await expect(lenient.getClinic(input)).resolves.toEqual({ id: 'x' });
  });

  it('reads back, changes and lists what it created through the fake', async () => {
    server.use(...careQueueHandlers({ baseUrl }));
    const client = createCareQueueClient({ baseUrl, validateResponses: true });
    const created = await client.createClinic({ body: { name: 'East', timeZone: 'UTC' } });
    expect(created.name).toBe('East');
    const read = await client.getClinic({ params: { clinicId: created.id } });
    expect(read).toEqual(created);
    const changed = await client.updateClinic({
      params: { clinicId: created.id },
      body: { name: 'East Side', expectedVersion: created.version },
    });
    expect(changed.version).toBe(created.version + 1);
    await expect(
      client.updateClinic({
        params: { clinicId: created.id },
        body: { name: 'x', expectedVersion: 0 },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      client.getClinic({ params: { clinicId: ClinicId.parse(exampleIds.patientId) } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('iterates every page of a list with for await, the cursor in the query', async () => {
    server.use(...careQueueHandlers({ baseUrl }));
    const client = createCareQueueClient({ baseUrl });
    const names = ['A', 'B', 'C', 'D', 'E'];
    for (const name of names) await client.createClinic({ body: { name, timeZone: 'UTC' } });
    const seen: string[] = [];
    for await (const clinic of client.paginate('listClinics', { query: { limit: 2 } }))
      seen.push(clinic.name);
    expect(seen).toEqual(names);
  });

  it('iterates a search with the cursor in the body, never in the URL', async () => {
    const urls: string[] = [];
    const bodies: unknown[] = [];
    server.use(
      http.post(`${baseUrl}/api/v1/patients/search`, async ({ request }) => {
        urls.push(request.url);
        const body = (await request.json()) as { cursor?: string };
        bodies.push(body);
        const items =
          body.cursor === undefined ? [examples.patient] : [examples.patient, examples.patient];
        return HttpResponse.json({ items, nextCursor: body.cursor === undefined ? 'p2' : null });
      }),
    );
    const client = createCareQueueClient({ baseUrl });
    let count = 0;
    for await (const _ of client.paginate('searchPatients', { body: { familyName: 'Example' } }))
      count += 1;
    expect(count).toBe(3);
    expect(urls.every((url) => !url.includes('?'))).toBe(true);
    expect(bodies).toEqual([{ familyName: 'Example' }, { familyName: 'Example', cursor: 'p2' }]);
  });

  it('waits the Retry-After of a 429, then succeeds', async () => {
    server.use(
      rateLimited('getHealth', { baseUrl, retryAfterSeconds: 7, times: 1 }),
      ...careQueueHandlers({ baseUrl }),
    );
    const clock = observedClock();
    const client = createCareQueueClient({ baseUrl, clock });
    const answer = client.getHealth();
    const wait = await clock.nextTimer((ms) => ms !== 30_000);
    expect(wait.ms).toBe(7_000);
    await wait.fire();
    await expect(answer).resolves.toEqual(operations.getHealth.example.response);
  });

  it('retries a 503 with a jittered back-off', async () => {
    server.use(
      serverError('getHealth', { baseUrl, status: 503, times: 1 }),
      ...careQueueHandlers({ baseUrl }),
    );
    const clock = observedClock();
    const client = createCareQueueClient({
      baseUrl,
      clock,
      random: () => 0.5,
      retries: { baseDelayMs: 1000 },
    });
    const answer = client.getHealth();
    const wait = await clock.nextTimer((ms) => ms !== 30_000);
    expect(wait.ms).toBe(500);
    await wait.fire();
    await expect(answer).resolves.toMatchObject({ status: 'ok' });
  });

  it('sends the same Idempotency-Key on every retry of one POST, and a new one per call', async () => {
    const keys: (string | null)[] = [];
    let calls = 0;
    server.use(
      http.post(`${baseUrl}/api/v1/appointments`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        calls += 1;
        if (calls === 1)
          return HttpResponse.json(
            { code: 'UNAVAILABLE' },
            { status: 503, headers: { 'retry-after': '1' } },
          );
        return HttpResponse.json(examples.appointment, { status: 201 });
      }),
    );
    const clock = observedClock();
    const client = createCareQueueClient({ baseUrl, clock });
    const body = operations.bookAppointment.body.parse(operations.bookAppointment.example.body);
    const booking = client.bookAppointment({ body });
    await (await clock.nextTimer((ms) => ms === 1_000)).fire();
    await booking;
    await client.bookAppointment({ body });
    expect(keys[0]).toMatch(/^[\x21-\x7e]{8,}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('stops waiting between retries when the signal aborts', async () => {
    server.use(rateLimited('getHealth', { baseUrl, retryAfterSeconds: 45 }));
    const clock = observedClock();
    const client = createCareQueueClient({ baseUrl, clock });
    const controller = new AbortController();
    const answer = client.getHealth(undefined, { signal: controller.signal });
    await clock.nextTimer((ms) => ms === 45_000);
    controller.abort(new Error('user left'));
    await expect(answer).rejects.toThrow('user left');
  });

  it('surfaces a 429 it will not wait for as RateLimitedError with retryAfterMs', async () => {
    server.use(rateLimited('getHealth', { baseUrl, retryAfterSeconds: 120 }));
    const client = createCareQueueClient({ baseUrl });
    const error = await client.getHealth().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(120_000);
  });

  it('refuses a non-boolean validateResponses and a list call on a non-list operation', () => {
    expect(() => createCareQueueClient({ baseUrl, validateResponses: 'yes' as never })).toThrow(
      /validateResponses/,
    );
    const client = createCareQueueClient({ baseUrl });
    const paginate = client.paginate as (id: string) => unknown;
    expect(() => paginate('getHealth')).toThrow(ValidationError);
  });
});
