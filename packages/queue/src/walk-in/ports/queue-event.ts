import type { QueueEvent } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';

export { QUEUE_EVENT_TYPES, QueueEvent, QueueEventType } from '@carequeue/core';

/**
 * A {@link QueueEvent} before the repository assigns its per-queue version.
 *
 * @example
 * ```ts
 * const [event] = await entries.appendEvents([pending]);
 * ```
 */
export type PendingQueueEvent = Omit<QueueEvent, 'version'>;

/**
 * The transaction a {@link QueueEventSink} writes in: the SQL executor of the unit of work on
 * SQL storage, absent on in-memory storage.
 *
 * @example
 * ```ts
 * const sink: QueueEventSink = { write: (events, { executor }) => writeOutbox(executor, events) };
 * ```
 */
export interface QueueEventTransaction {
  readonly executor?: SqlExecutor;
}

/**
 * A port called inside the transaction of every queue change with the events it appended, so
 * that an outbox row or a `NOTIFY` commits or rolls back with the change. A failure rolls the
 * change back.
 *
 * @example
 * ```ts
 * const sink: QueueEventSink = {
 *   async write(events, { executor }) {
 *     for (const event of events) {
 *       await executor?.query('SELECT pg_notify($1, $2)', [`queue:${event.tenantId}`, JSON.stringify(event)]);
 *     }
 *   },
 * };
 * ```
 */
export interface QueueEventSink {
  write(events: readonly QueueEvent[], transaction: QueueEventTransaction): Promise<void>;
}
