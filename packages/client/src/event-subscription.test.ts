import { describe, expect, it } from 'vitest';
import { observedClock, type ObservedClock } from '../test/fake-clock.js';
import type { ServerSentEvent } from './event-stream-parser.js';
import { subscribeEventStream, type EventSubscriptionOptions } from './event-subscription.js';
import { ClientConfigError } from './errors.js';
import { httpTransport } from './http-transport.js';

const TIMEOUT = 987_654;
const notTimeout = (ms: number): boolean => ms !== TIMEOUT;

/** What one connection of the fake server sends: SSE text chunks, then an end or a drop. */
interface Connection {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly chunks: string[];
  readonly then: 'drop' | 'end' | 'hang';
  readonly noBody?: boolean;
}

function sse(id: number): string {
  return `id: ${id}\nevent: queue.position_changed\ndata: {"position":${10 - id}}\n\n`;
}

/** A fake fetch serving a stream per connection; it records the Last-Event-ID of each. */
function fakeServer(connect: (lastEventId: string | null, index: number) => Connection) {
  const lastEventIds: (string | null)[] = [];
  const fetch: typeof globalThis.fetch = (_input, init) => {
    const lastEventId = new Headers(init?.headers).get('last-event-id');
    lastEventIds.push(lastEventId);
    const connection = connect(lastEventId, lastEventIds.length - 1);
    const encoder = new TextEncoder();
    const chunks = [...connection.chunks];
    // Pull-based, so a drop happens after the chunks before it were read (an errored stream
    // discards what is still queued).
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
      },
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
        else if (connection.then === 'drop')
          controller.error(new TypeError('network connection lost'));
        else if (connection.then === 'end') controller.close();
        else return new Promise<void>(() => undefined);
        return undefined;
      },
    });
    return Promise.resolve(
      new Response(connection.noBody === true ? null : body, {
        status: connection.status ?? 200,
        headers: { 'content-type': 'text/event-stream', ...connection.headers },
      }),
    );
  };
  return { fetch, lastEventIds };
}

function subscribe(
  fetch: typeof globalThis.fetch,
  clock: ObservedClock,
  options: Partial<EventSubscriptionOptions> & Pick<EventSubscriptionOptions, 'onEvent'>,
) {
  const transport = httpTransport({
    baseUrl: 'https://api.carequeue.test',
    fetch,
    timeoutMs: TIMEOUT,
    clock,
  });
  return subscribeEventStream({
    transport,
    path: '/api/v1/events',
    clock,
    random: () => 0.5,
    reconnect: { baseDelayMs: 100 },
    ...options,
  });
}

describe('subscribeEventStream', () => {
  it('resumes from the last event id after the stream drops mid-way, losing and repeating no event', async () => {
    const server = fakeServer((lastEventId) => {
      const from = lastEventId === null ? 1 : Number(lastEventId) + 1;
      const ids = [1, 2, 3, 4, 5, 6].filter((id) => id >= from);
      // The first connection drops after three events (and half of the fourth).
      return from === 1
        ? { chunks: [sse(1), sse(2), sse(3), sse(4).slice(0, 12)], then: 'drop' }
        : { chunks: ids.map(sse), then: 'hang' };
    });
    const clock = observedClock();
    const received: string[] = [];
    const errors: [unknown, boolean][] = [];
    const subscription = subscribe(server.fetch, clock, {
      onEvent: (event) => {
        received.push(`${event.id}:${event.data}`);
        if (event.id === '6') subscription.close();
      },
      onError: (error, willRetry) => errors.push([error, willRetry]),
    });
    const reconnect = await clock.nextTimer(notTimeout);
    expect(reconnect.ms).toBe(50);
    await reconnect.fire();
    await subscription.done;
    expect(received).toEqual([1, 2, 3, 4, 5, 6].map((id) => `${id}:{"position":${10 - id}}`));
    expect(server.lastEventIds).toEqual([null, '3']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toBe(true);
    expect(subscription.lastEventId).toBe('6');
  });

  it('skips an event repeating the id it resumed from, and starts from a given lastEventId', async () => {
    const server = fakeServer((lastEventId) => ({
      chunks: [Number(lastEventId), 8, 9].map(sse),
      then: 'hang',
    }));
    const clock = observedClock();
    const received: (string | undefined)[] = [];
    const subscription = subscribe(server.fetch, clock, {
      lastEventId: '7',
      onEvent: (event: ServerSentEvent) => {
        received.push(event.id);
        if (event.id === '9') subscription.close();
      },
    });
    await subscription.done;
    expect(server.lastEventIds).toEqual(['7']);
    expect(received).toEqual(['8', '9']);
  });

  it('waits the Retry-After of a 503, then the retry field the server sent, between reconnections', async () => {
    const server = fakeServer((_id, index) =>
      index === 0
        ? {
            status: 503,
            headers: { 'retry-after': '4', 'content-type': 'application/problem+json' },
            chunks: ['{"code":"UNAVAILABLE"}'],
            then: 'end',
          }
        : index === 1
          ? { chunks: ['retry: 1500\n', sse(1)], then: 'end' }
          : { chunks: [sse(2)], then: 'hang' },
    );
    const clock = observedClock();
    const waits: number[] = [];
    const subscription = subscribe(server.fetch, clock, {
      onEvent: (event) => {
        if (event.id === '2') subscription.close();
      },
    });
    for (let i = 0; i < 2; i += 1) {
      const next = await clock.nextTimer(notTimeout);
      waits.push(next.ms);
      await next.fire();
    }
    await subscription.done;
    expect(waits).toEqual([4000, 1500]);
    expect(server.lastEventIds).toEqual([null, null, '1']);
  });

  it('stops for good on a 401, telling onError it will not retry', async () => {
    const server = fakeServer(() => ({
      status: 401,
      headers: { 'content-type': 'application/problem+json' },
      chunks: ['{"code":"UNAUTHORIZED"}'],
      then: 'end',
    }));
    const errors: [unknown, boolean][] = [];
    const subscription = subscribe(server.fetch, observedClock(), {
      onEvent: () => undefined,
      onError: (error, willRetry) => errors.push([error, willRetry]),
    });
    await subscription.done;
    expect(errors).toEqual([[expect.objectContaining({ code: 'UNAUTHORIZED' }), false]]);
    expect(server.lastEventIds).toHaveLength(1);
  });

  it('stops when onEvent throws, without counting that event as received', async () => {
    const server = fakeServer(() => ({ chunks: [sse(1), sse(2)], then: 'hang' }));
    const failure = new Error('render failed');
    const errors: [unknown, boolean][] = [];
    const subscription = subscribe(server.fetch, observedClock(), {
      onEvent: (event) => {
        if (event.id === '2') throw failure;
      },
      onError: (error, willRetry) => errors.push([error, willRetry]),
    });
    await subscription.done;
    expect(errors).toEqual([[failure, false]]);
    expect(subscription.lastEventId).toBe('1');
  });

  it('closes during the reconnection back-off, from close() or from the signal', async () => {
    for (const how of ['close', 'signal'] as const) {
      const server = fakeServer(() => ({ chunks: [], then: 'end' }));
      const clock = observedClock();
      const controller = new AbortController();
      const subscription = subscribe(server.fetch, clock, {
        onEvent: () => undefined,
        signal: controller.signal,
      });
      await clock.nextTimer(notTimeout);
      if (how === 'close') subscription.close();
      else controller.abort();
      await subscription.done;
      expect(server.lastEventIds).toHaveLength(1);
      expect(clock.pendingTimers()).toBe(0);
    }
  });

  it('refuses invalid options with ClientConfigError', () => {
    const transport = httpTransport({ baseUrl: 'https://api.carequeue.test' });
    const good = { transport, path: '/api/v1/events', onEvent: () => undefined };
    const bad: unknown[] = [
      null,
      { ...good, transport: {} },
      { ...good, path: 1 },
      { ...good, onEvent: 'x' },
      { ...good, onError: 'x' },
      { ...good, lastEventId: 7 },
      { ...good, signal: {} },
      { ...good, reconnect: { maxConsecutiveFailures: 0 } },
      { ...good, reconnect: 'x' },
      { ...good, random: 1 },
      { ...good, clock: {} },
    ];
    for (const options of bad) {
      expect(() => subscribeEventStream(options as EventSubscriptionOptions)).toThrow(
        ClientConfigError,
      );
    }
  });

  it('does not connect when the signal is already aborted', async () => {
    const server = fakeServer(() => ({ chunks: [], then: 'end' }));
    const subscription = subscribe(server.fetch, observedClock(), {
      onEvent: () => undefined,
      signal: AbortSignal.abort(),
    });
    await subscription.done;
    expect(server.lastEventIds).toHaveLength(0);
  });

  it('gives up after maxConsecutiveFailures connections without events, with growing back-off', async () => {
    const server = fakeServer((_id, index) =>
      index === 0
        ? { chunks: [], then: 'end', noBody: true }
        : { chunks: [': nothing\n'], then: 'end' },
    );
    const clock = observedClock();
    const errors: [unknown, boolean][] = [];
    const subscription = subscribe(server.fetch, clock, {
      onEvent: () => undefined,
      onError: (error, willRetry) => errors.push([error, willRetry]),
      reconnect: { baseDelayMs: 100, maxConsecutiveFailures: 3 },
    });
    const waits: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const next = await clock.nextTimer(notTimeout);
      waits.push(next.ms);
      await next.fire();
    }
    await subscription.done;
    expect(waits).toEqual([50, 100]);
    expect(errors).toEqual([
      [expect.objectContaining({ code: 'INVALID_RESPONSE' }), true],
      [expect.objectContaining({ code: 'STREAM_ENDED' }), false],
    ]);
  });
});
