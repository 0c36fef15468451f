import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observedClock } from '../test/fake-clock.js';
import { examples, exampleIds } from './contract/examples.js';
import type { StreamEvent } from './contract/stream-events.js';
import { createCareQueueClient } from './create-care-queue-client.js';
import { queueStream, type StreamedEvent } from './msw/handlers.js';

const baseUrl = 'https://api.carequeue.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const otherQueue = '01950f3a-0000-7000-8000-0000000000ff';
const events: StreamedEvent[] = [1, 2, 3, 4, 5, 6].map((version) => ({
  id: `${exampleIds.queueId}:${version}`,
  type: 'queue.event',
  data: {
    ...examples.queueEvent,
    version,
    queueId: version === 4 ? otherQueue : exampleIds.queueId,
  },
}));

describe('client.subscribe', () => {
  it('resumes after a drop from the last event id, losing and repeating nothing', async () => {
    const lastEventIds: (string | null)[] = [];
    let authorization: string | null = null;
    server.use(
      http.get(`${baseUrl}/api/v1/events`, ({ request }) => {
        lastEventIds.push(request.headers.get('last-event-id'));
        authorization = request.headers.get('authorization');
        return undefined;
      }),
      queueStream(events, { baseUrl, dropAfter: 2 }),
    );
    const clock = observedClock();
    const client = createCareQueueClient({
      baseUrl,
      clock,
      random: () => 0.5,
      getToken: () => 'place-token',
    });
    const versions: number[] = [];
    const all = new Promise<void>((resolve) => {
      client.subscribe({
        onEvent: (event) => {
          if (event.type === 'queue.event') versions.push(event.data.version);
          if (versions.length === 6) resolve();
        },
      });
    });
    const reconnect = await clock.nextTimer((ms) => ms < 30_000);
    // Bytes in flight when the connection reset may be lost; the resume point is what arrived.
    const resumedFrom = `${exampleIds.queueId}:${versions.at(-1)}`;
    expect(versions.length).toBeGreaterThan(0);
    await reconnect.fire();
    await all;
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lastEventIds).toEqual([null, resumedFrom]);
    expect(authorization).toBe('Bearer place-token');
  });

  it('shares one connection among listeners and filters by queue and type', async () => {
    let connections = 0;
    server.use(
      http.get(`${baseUrl}/api/v1/events`, () => {
        connections += 1;
        return undefined;
      }),
      queueStream(events, { baseUrl }),
    );
    const client = createCareQueueClient({ baseUrl });
    const mine: number[] = [];
    const typed: StreamEvent[] = [];
    await new Promise<void>((resolve) => {
      const first = client.subscribe({
        queueId: exampleIds.queueId,
        onEvent: (event) => {
          if (event.type === 'queue.event') mine.push(event.data.version);
          if (mine.length === 5) {
            first.close();
            resolve();
          }
        },
      });
      client.subscribe({ types: ['queue.summary'], onEvent: (event) => typed.push(event) });
    });
    expect(mine).toEqual([1, 2, 3, 5, 6]);
    expect(typed).toEqual([]);
    expect(connections).toBe(1);
  });

  it('skips an event that does not match the contract and tells the listener', async () => {
    const bad: StreamedEvent = { id: 'x:1', type: 'queue.event', data: { version: 'one' } };
    server.use(queueStream([bad, events[0] as StreamedEvent], { baseUrl }));
    const client = createCareQueueClient({ baseUrl });
    const problems: unknown[] = [];
    const received = await new Promise<StreamEvent>((resolve) => {
      const subscription = client.subscribe({
        onEvent: (event) => {
          subscription.close();
          resolve(event);
        },
        onError: (error) => problems.push(error),
      });
    });
    expect(received.id).toBe(events[0]?.id);
    expect(problems).toHaveLength(1);
    expect(String(problems[0])).toMatch(/does not match the contract/);
  });
});
