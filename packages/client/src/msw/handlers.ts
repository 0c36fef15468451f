import { http, HttpResponse, type HttpHandler } from 'msw';
import { operations, type OperationId } from '../contract/operations.js';
import type { OperationDefinition } from '../contract/operation.js';
import { createFakeCareQueue, type FakeCareQueue } from './fake-care-queue.js';

/**
 * Where the handlers answer.
 *
 * @example
 * ```ts
 * const options: HandlerOptions = { baseUrl: 'https://clinic.example' };
 * ```
 */
export interface HandlerOptions {
  /** The base URL the client under test uses. */
  readonly baseUrl: string;
}

function urlOf(baseUrl: string, op: OperationDefinition): string {
  return baseUrl.replace(/\/+$/, '') + op.path.replace(/\{(\w+)\}/g, ':$1');
}

function route(baseUrl: string, op: OperationDefinition) {
  const method = op.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  return (resolver: Parameters<typeof http.get>[1]) => http[method](urlOf(baseUrl, op), resolver);
}

function problemResponse(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
) {
  return HttpResponse.json(
    { type: 'about:blank', title: detail, status, code, detail, requestId: `msw-${status}` },
    {
      status,
      headers: {
        'content-type': 'application/problem+json',
        'x-request-id': `msw-${status}`,
        ...headers,
      },
    },
  );
}

function queryOf(url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = key === 'limit' ? Number(values[0]) : values.length > 1 ? values : values[0];
  }
  return query;
}

/**
 * Handlers for every JSON operation of the contract, answering the happy path from an in-memory
 * fake: records created through the API are read back, changed (with version checks) and
 * listed with cursors; an unknown id answers a 404 problem.
 *
 * @param options - the base URL, and a fake to share or inspect.
 * @returns the handlers, for `setupServer(...)` or `setupWorker(...)`.
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { careQueueHandlers } from '@carequeue/client/msw';
 *
 * const server = setupServer(...careQueueHandlers({ baseUrl: 'https://clinic.example' }));
 * server.listen({ onUnhandledRequest: 'error' });
 * ```
 */
export function careQueueHandlers(
  options: HandlerOptions & { readonly fake?: FakeCareQueue },
): HttpHandler[] {
  const fake = options.fake ?? createFakeCareQueue();
  return (Object.keys(operations) as OperationId[])
    .filter((id) => (operations[id] as OperationDefinition).stream !== true)
    .map((id) => {
      const op: OperationDefinition = operations[id];
      return route(
        options.baseUrl,
        op,
      )(async ({ request, params }) => {
        const text = await request.text();
        const body: unknown = text === '' ? undefined : JSON.parse(text);
        if (op.body !== undefined && !op.body.safeParse(body).success) {
          return problemResponse(400, 'VALIDATION_FAILED', 'The request is invalid.');
        }
        const result = fake.handle(id, {
          params: params as Record<string, string>,
          query: queryOf(new URL(request.url)),
          body,
        });
        const contentType = result.status >= 400 ? 'application/problem+json' : 'application/json';
        return HttpResponse.json(result.body as Record<string, unknown>, {
          status: result.status,
          headers: { 'content-type': contentType, 'x-request-id': 'msw-request' },
        });
      });
    });
}

/**
 * A handler answering one operation with `429 RATE_LIMITED` and `Retry-After`, `times` times
 * (then it passes the request on to the next handler, such as the happy path).
 *
 * @example
 * ```ts
 * server.use(rateLimited('getClinic', { baseUrl, retryAfterSeconds: 2, times: 1 }));
 * ```
 */
export function rateLimited(
  operationId: OperationId,
  options: HandlerOptions & { readonly retryAfterSeconds?: number; readonly times?: number },
): HttpHandler {
  let left = options.times ?? Number.POSITIVE_INFINITY;
  return route(
    options.baseUrl,
    operations[operationId],
  )(() => {
    if (left <= 0) return undefined;
    left -= 1;
    return problemResponse(429, 'RATE_LIMITED', 'Too many requests.', {
      'retry-after': String(options.retryAfterSeconds ?? 1),
    });
  });
}

/**
 * A handler answering one operation with a server error problem (500 `INTERNAL` by default,
 * or 503 `UNAVAILABLE`), `times` times.
 *
 * @example
 * ```ts
 * server.use(serverError('bookAppointment', { baseUrl, status: 503, times: 2 }));
 * ```
 */
export function serverError(
  operationId: OperationId,
  options: HandlerOptions & { readonly status?: 500 | 502 | 503 | 504; readonly times?: number },
): HttpHandler {
  let left = options.times ?? Number.POSITIVE_INFINITY;
  const status = options.status ?? 500;
  return route(
    options.baseUrl,
    operations[operationId],
  )(() => {
    if (left <= 0) return undefined;
    left -= 1;
    return problemResponse(
      status,
      status === 500 ? 'INTERNAL' : 'UNAVAILABLE',
      'The server failed.',
    );
  });
}

/**
 * A handler answering one operation with the problem of your choice, such as a 409 conflict.
 *
 * @example
 * ```ts
 * server.use(problem('bookAppointment', { baseUrl, status: 409, code: 'SLOT_UNAVAILABLE' }));
 * ```
 */
export function problem(
  operationId: OperationId,
  options: HandlerOptions & {
    readonly status: number;
    readonly code: string;
    readonly detail?: string;
  },
): HttpHandler {
  return route(
    options.baseUrl,
    operations[operationId],
  )(() => problemResponse(options.status, options.code, options.detail ?? 'The request failed.'));
}

/**
 * One event for {@link queueStream}: its SSE name, id and data (validated by the client).
 *
 * @example
 * ```ts
 * const event: StreamedEvent = { id: 'q1:42', type: 'queue.event', data: queueEvent };
 * ```
 */
export interface StreamedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
}

/**
 * A handler for the event stream that sends `events` after the request's `Last-Event-ID` (so a
 * reconnecting client gets what it missed), then keeps the connection open. With `dropAfter`,
 * the first connection fails after that many events, to test resumption.
 *
 * @example
 * ```ts
 * server.use(queueStream([{ id: '1', type: 'queue.event', data: event }], { baseUrl, dropAfter: 1 }));
 * ```
 */
export function queueStream(
  events: readonly StreamedEvent[],
  options: HandlerOptions & { readonly dropAfter?: number },
): HttpHandler {
  let connections = 0;
  return route(
    options.baseUrl,
    operations.streamEvents,
  )(({ request }) => {
    connections += 1;
    const first = connections === 1;
    const lastEventId = request.headers.get('last-event-id');
    const from =
      lastEventId === null ? 0 : events.findIndex((event) => event.id === lastEventId) + 1;
    const replay = events.slice(from);
    const encoder = new TextEncoder();
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (first && options.dropAfter !== undefined && sent === options.dropAfter) {
          controller.error(new TypeError('connection reset'));
          return undefined;
        }
        const next = replay[sent];
        if (next === undefined) return new Promise<void>(() => undefined);
        sent += 1;
        controller.enqueue(
          encoder.encode(
            `id: ${next.id}\nevent: ${next.type}\ndata: ${JSON.stringify(next.data)}\n\n`,
          ),
        );
        return undefined;
      },
    });
    return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
  });
}
