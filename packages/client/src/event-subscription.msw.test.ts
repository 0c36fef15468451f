import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observedClock } from '../test/fake-clock.js';
import { subscribeEventStream } from './event-subscription.js';
import { httpTransport } from './http-transport.js';

const BASE = 'https://api.carequeue.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const EVENTS = [1, 2, 3, 4, 5].map((id) => ({ id: String(id), data: `{"position":${6 - id}}` }));

/** An msw handler replaying the events after Last-Event-ID; the first connection drops after two. */
function queueStream() {
  const seen: (string | null)[] = [];
  const handler = http.get(`${BASE}/api/v1/events`, ({ request }) => {
    const lastEventId = request.headers.get('last-event-id');
    seen.push(lastEventId);
    const from = lastEventId === null ? 0 : EVENTS.findIndex((e) => e.id === lastEventId) + 1;
    const replay = EVENTS.slice(from);
    const encoder = new TextEncoder();
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = replay[sent];
        if (seen.length === 1 && sent === 2) {
          controller.error(new TypeError('connection reset'));
          return;
        }
        if (next === undefined) return new Promise<void>(() => undefined);
        sent += 1;
        controller.enqueue(
          encoder.encode(`id: ${next.id}\nevent: queue.position_changed\ndata: ${next.data}\n\n`),
        );
        return undefined;
      },
    });
    return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
  });
  return { handler, seen };
}

describe('subscribeEventStream through msw', () => {
  it('authenticates with a bearer token and resumes with Last-Event-ID after a drop', async () => {
    const stream = queueStream();
    let authorization: string | null = null;
    server.use(
      http.get(`${BASE}/api/v1/events`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return undefined;
      }),
      stream.handler,
    );
    const clock = observedClock();
    const transport = httpTransport({ baseUrl: BASE, getToken: () => 'tok', clock });
    const received: string[] = [];
    const subscription = subscribeEventStream({
      transport,
      path: '/api/v1/events',
      clock,
      random: () => 0.5,
      onEvent: (event) => {
        received.push(event.id ?? '');
        if (event.id === '5') subscription.close();
      },
    });
    const reconnect = await clock.nextTimer((ms) => ms < 30_000);
    // Bytes in flight when the connection reset may be lost; the resume point is what arrived.
    const resumedFrom = subscription.lastEventId;
    await reconnect.fire();
    await subscription.done;
    expect(authorization).toBe('Bearer tok');
    expect(stream.seen).toEqual([null, resumedFrom]);
    expect(received).toEqual(['1', '2', '3', '4', '5']);
  });
});
