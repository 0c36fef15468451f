import { isCarequeueError, sleep, systemClock, type Clock } from '@carequeue/core';
import {
  isObject,
  isOptionalFunction,
  isOptionalSignal,
  requireOption,
} from './argument-checks.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { ApiError } from './errors.js';
import {
  createEventStreamParser,
  readEventStream,
  type ServerSentEvent,
} from './event-stream-parser.js';
import type { HttpTransport } from './http-transport.js';
import type { QueryParams } from './request-url.js';
import type { ClientError } from './response-error.js';

/**
 * Options of {@link subscribeEventStream}.
 *
 * @example
 * ```ts
 * const options: EventSubscriptionOptions = {
 *   transport,
 *   path: '/api/v1/events',
 *   onEvent: (event) => console.info(event.event),
 *   reconnect: { baseDelayMs: 500, maxDelayMs: 30_000 },
 * };
 * ```
 */
export interface EventSubscriptionOptions {
  /** The transport that opens the stream (base URL, token, time-out, hooks). */
  transport: Pick<HttpTransport, 'openStream'>;
  /** The stream's path, such as `/api/v1/events`. */
  path: string;
  query?: QueryParams;
  /**
   * Receives each event once, in order. The next event waits for a returned promise. An error
   * thrown here stops the subscription (the event is not counted as received).
   */
  onEvent: (event: ServerSentEvent) => void | Promise<void>;
  /**
   * Told of every failure: a dropped connection (`willRetry` true) or the final one (`false`:
   * a 4xx answer other than 408 and 429, an error thrown by `onEvent`, or too many failures).
   */
  onError?: (error: unknown, willRetry: boolean) => void;
  /** Resume after this event id (sent as `Last-Event-ID` on the first connection). */
  lastEventId?: string;
  /** Closes the subscription, like {@link EventSubscription.close}. */
  signal?: AbortSignal;
  /** Reconnection back-off; a server's `retry` field or `Retry-After` replaces it. */
  reconnect?: BackoffOptions & {
    /** Failed connections in a row after which the subscription gives up. Unlimited by default. */
    maxConsecutiveFailures?: number;
  };
  /** Time for the waits between connections; `systemClock` by default. */
  clock?: Clock;
  /** Numbers in [0, 1) for the jitter; `Math.random` by default. */
  random?: () => number;
}

/**
 * A live subscription.
 *
 * @example
 * ```ts
 * const subscription: EventSubscription = subscribeEventStream(options);
 * window.addEventListener('pagehide', () => subscription.close());
 * await subscription.done;
 * ```
 */
export interface EventSubscription {
  /** Closes the stream and stops reconnecting. */
  close(): void;
  /** Resolves once the subscription has stopped for good (closed, or a final error). */
  readonly done: Promise<void>;
  /** The id of the last event delivered, sent as `Last-Event-ID` on reconnection. */
  readonly lastEventId: string | undefined;
}

function checkOptions(options: EventSubscriptionOptions): void {
  requireOption(isObject(options), 'the options must be an object.');
  const transport: unknown = options.transport;
  requireOption(
    isObject(transport) && typeof transport['openStream'] === 'function',
    'transport must be an HttpTransport.',
  );
  requireOption(typeof options.path === 'string', 'path must be a string.');
  requireOption(typeof options.onEvent === 'function', 'onEvent must be a function.');
  requireOption(isOptionalFunction(options.onError), 'onError must be a function.');
  requireOption(
    options.lastEventId === undefined || typeof options.lastEventId === 'string',
    'lastEventId must be a string.',
  );
  requireOption(isOptionalSignal(options.signal), 'signal must be an AbortSignal.');
  const reconnect: unknown = options.reconnect;
  requireOption(
    reconnect === undefined ||
      (isObject(reconnect) &&
        (reconnect['maxConsecutiveFailures'] === undefined ||
          (typeof reconnect['maxConsecutiveFailures'] === 'number' &&
            reconnect['maxConsecutiveFailures'] >= 1))),
    'reconnect must be an object; reconnect.maxConsecutiveFailures must be at least 1.',
  );
  requireOption(isOptionalFunction(options.random), 'random must be a function.');
  const clock: unknown = options.clock;
  requireOption(
    clock === undefined || (isObject(clock) && typeof clock['setTimeout'] === 'function'),
    'clock must be a Clock.',
  );
}

function isFinal(error: unknown): boolean {
  if (!isCarequeueError(error)) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

/**
 * Subscribes to a `text/event-stream` with fetch (so it can send `Authorization`), delivering
 * every event once: when the connection drops or ends, it reconnects after a back-off and
 * sends `Last-Event-ID` with the last delivered id, so the server replays what was missed; an
 * event repeating the id just delivered is skipped.
 *
 * @param options - the transport, path, handlers and policies.
 * @returns the subscription.
 * @example
 * ```ts
 * const subscription = subscribeEventStream({
 *   transport,
 *   path: '/api/v1/events',
 *   onEvent: (event) => console.info(event.event, JSON.parse(event.data)),
 *   onError: (error, willRetry) => console.warn(willRetry ? 'reconnecting' : 'stopped', error),
 * });
 * // later
 * subscription.close();
 * ```
 */
export function subscribeEventStream(options: EventSubscriptionOptions): EventSubscription {
  checkOptions(options);
  const controller = new AbortController();
  const { signal } = controller;
  const external = options.signal;
  if (external?.aborted) controller.abort(external.reason);
  else external?.addEventListener('abort', () => controller.abort(external.reason), { once: true });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxFailures = options.reconnect?.maxConsecutiveFailures ?? Number.POSITIVE_INFINITY;
  let lastEventId = options.lastEventId;
  let retryMs: number | undefined;

  let failures = 0;

  /** Reads one connection to its end; any event delivered resets the failure count. */
  async function readConnection(): Promise<void> {
    const response = await options.transport.openStream({
      path: options.path,
      ...(options.query === undefined ? {} : { query: options.query }),
      headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
      signal,
    });
    if (response.body === null) {
      throw new ApiError({
        code: 'INVALID_RESPONSE',
        status: 502,
        message: 'The event stream had no body.',
      });
    }
    const parser = createEventStreamParser();
    try {
      for await (const event of readEventStream(response.body, parser)) {
        failures = 0;
        if (event.id !== undefined && event.id === lastEventId) continue;
        try {
          await options.onEvent(event);
        } catch (error) {
          throw new HandlerFailure(error);
        }
        if (event.lastEventId !== '') lastEventId = event.lastEventId;
      }
    } finally {
      retryMs = parser.retryMs ?? retryMs;
    }
  }

  async function run(): Promise<void> {
    while (!signal.aborted) {
      let delay: number | undefined;
      try {
        await readConnection();
        failures += 1;
        if (failures >= maxFailures) {
          const ended = new ApiError({
            code: 'STREAM_ENDED',
            status: 502,
            message: 'The event stream kept ending without events.',
          });
          options.onError?.(ended, false);
          return;
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof HandlerFailure) {
          options.onError?.(error.cause, false);
          return;
        }
        failures += 1;
        const willRetry = !isFinal(error) && failures < maxFailures;
        options.onError?.(error, willRetry);
        if (!willRetry) return;
        delay = (error as Partial<ClientError>).retryAfterMs;
      }
      try {
        await sleep(
          clock,
          delay ?? retryMs ?? backoffDelayMs(failures - 1, options.reconnect, random),
          signal,
        );
      } catch {
        return;
      }
    }
  }

  const done = run();
  return {
    close: () => controller.abort(),
    done,
    get lastEventId() {
      return lastEventId;
    },
  };
}

/** Wraps an error thrown by the subscriber's own `onEvent`, which stops the subscription. */
class HandlerFailure extends Error {
  constructor(cause: unknown) {
    super('onEvent failed.', { cause });
  }
}
