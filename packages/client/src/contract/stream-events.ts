import { QueueEvent, QueueSummary, Timestamp } from '@carequeue/core';
import { z } from 'zod';

/**
 * The events of the `/api/v1/events` stream, by SSE event name, with the schema of their JSON
 * `data`. Each carries ids, tickets and counts only, never PHI. A `queue.event` has the id
 * `<queueId>:<version>`, so a reconnection with `Last-Event-ID` replays what was missed.
 *
 * @example
 * ```ts
 * const event = streamEvents['queue.event'].parse(JSON.parse(message.data));
 * ```
 */
export const streamEvents = {
  /** One queue entry transition (check-in, call, no-show, ...). */
  'queue.event': QueueEvent,
  /** The new state of a line, after one or more transitions. */
  'queue.summary': QueueSummary,
  /** Sent every 20 seconds so idle proxies keep the connection open. */
  heartbeat: z.object({ at: Timestamp }),
} as const;

/**
 * The name of an event of the stream.
 *
 * @example
 * ```ts
 * const name: StreamEventName = 'queue.event';
 * ```
 */
export type StreamEventName = keyof typeof streamEvents;

/**
 * An event of the stream as the client delivers it: its name, id and validated data.
 *
 * @example
 * ```ts
 * const onEvent = (event: StreamEvent) => {
 *   if (event.type === 'queue.event') console.info(event.data.toStatus);
 * };
 * ```
 */
export type StreamEvent = {
  [N in StreamEventName]: {
    readonly type: N;
    readonly id: string | undefined;
    readonly data: z.output<(typeof streamEvents)[N]>;
  };
}[StreamEventName];
