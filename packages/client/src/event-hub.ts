import type { Clock } from '@carequeue/core';
import { isObject, isOptionalFunction, requireOption } from './argument-checks.js';
import type { BackoffOptions } from './backoff.js';
import { streamEvents, type StreamEvent, type StreamEventName } from './contract/stream-events.js';
import { ApiError } from './errors.js';
import type { ServerSentEvent } from './event-stream-parser.js';
import { subscribeEventStream, type EventSubscription } from './event-subscription.js';
import type { HttpTransport } from './http-transport.js';

/**
 * One listener of the client's event stream: which events it wants and what to do with them.
 *
 * @example
 * ```ts
 * const listener: StreamListener = {
 *   queueId,
 *   onEvent: (event) => { if (event.type === 'queue.summary') render(event.data); },
 * };
 * ```
 */
export interface StreamListener {
  /** Only events of this queue (events without a queue, such as heartbeats, still arrive). */
  readonly queueId?: string;
  /** Only these event types. */
  readonly types?: readonly StreamEventName[];
  /** Receives each matching event once, in order, its data validated against the contract. */
  readonly onEvent: (event: StreamEvent) => void;
  /**
   * Told of a dropped connection (`willRetry` true), of an event that does not match the
   * contract (skipped, `willRetry` true) and of the final failure (`false`).
   */
  readonly onError?: (error: unknown, willRetry: boolean) => void;
}

/**
 * Options of {@link createEventHub}.
 *
 * @example
 * ```ts
 * const hub = createEventHub({ transport, path: '/api/v1/events' });
 * ```
 */
export interface EventHubOptions {
  readonly transport: Pick<HttpTransport, 'openStream'>;
  readonly path: string;
  readonly reconnect?: BackoffOptions;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/**
 * One event stream shared by many listeners.
 *
 * @example
 * ```ts
 * const { close } = hub.add({ onEvent: console.info });
 * ```
 */
export interface EventHub {
  /** Adds a listener, opening the stream if it is the first; `close` removes it. */
  add(listener: StreamListener): { close(): void };
}

function queueOf(event: StreamEvent): string | undefined {
  return 'queueId' in event.data ? event.data.queueId : undefined;
}

function parseEvent(message: ServerSentEvent): StreamEvent | undefined | Error {
  if (!Object.hasOwn(streamEvents, message.event)) return undefined;
  const type = message.event as StreamEventName;
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch {
    json = undefined;
  }
  const result = streamEvents[type].safeParse(json);
  if (!result.success) {
    return new ApiError({
      code: 'INVALID_EVENT',
      status: 502,
      message: `A ${type} event of the stream does not match the contract; it was skipped.`,
    });
  }
  return { type, id: message.id, data: result.data } as StreamEvent;
}

/**
 * Shares one `text/event-stream` connection among listeners: it opens with the first listener
 * and closes after the last one leaves, resuming from the last event id when it reopens. Each
 * event is validated against the contract's event schemas before any listener sees it.
 *
 * @param options - the transport and the stream's path.
 * @returns the hub.
 * @example
 * ```ts
 * const hub = createEventHub({ transport, path: '/api/v1/events' });
 * const subscription = hub.add({ queueId, onEvent: (event) => console.info(event.type) });
 * subscription.close();
 * ```
 */
export function createEventHub(options: EventHubOptions): EventHub {
  const listeners = new Set<StreamListener>();
  let subscription: EventSubscription | undefined;
  let lastEventId: string | undefined;

  const deliver = (message: ServerSentEvent) => {
    const event = parseEvent(message);
    if (event === undefined) return;
    for (const listener of [...listeners]) {
      if (event instanceof Error) {
        listener.onError?.(event, true);
        continue;
      }
      if (listener.types !== undefined && !listener.types.includes(event.type)) continue;
      const queueId = queueOf(event);
      if (listener.queueId !== undefined && queueId !== undefined && queueId !== listener.queueId)
        continue;
      listener.onEvent(event);
    }
  };

  const open = () => {
    subscription = subscribeEventStream({
      transport: options.transport,
      path: options.path,
      onEvent: deliver,
      onError: (error, willRetry) => {
        for (const listener of [...listeners]) listener.onError?.(error, willRetry);
      },
      ...(lastEventId === undefined ? {} : { lastEventId }),
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
  };

  return {
    add(listener) {
      requireOption(
        isObject(listener) &&
          typeof listener.onEvent === 'function' &&
          isOptionalFunction(listener.onError),
        'a listener must be an object with an onEvent function.',
      );
      listeners.add(listener);
      if (subscription === undefined) open();
      let closed = false;
      return {
        close() {
          if (closed) return;
          closed = true;
          listeners.delete(listener);
          if (listeners.size === 0 && subscription !== undefined) {
            lastEventId = subscription.lastEventId;
            subscription.close();
            subscription = undefined;
          }
        },
      };
    },
  };
}
