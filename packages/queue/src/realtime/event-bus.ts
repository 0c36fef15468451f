import { z } from 'zod';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { QueueEventSink } from '../walk-in/index.js';
import { queueRealtimeChanges, type RealtimeChange, type RealtimeEvent } from './realtime-event.js';
import { checkFactoryOptions, portOption } from '../config/factory-options.js';

/**
 * Receives the events of a topic. `onReset` is called when the subscription is (re)established,
 * including the first time: events may have been missed before it, so resync from a snapshot.
 *
 * @example
 * ```ts
 * const listener: RealtimeListener = { onEvent: (event) => apply(event), onReset: () => void resync() };
 * ```
 */
export interface RealtimeListener {
  onEvent(event: RealtimeEvent): void;
  onReset?(): void;
}

/**
 * An active subscription.
 *
 * @example
 * ```ts
 * const subscription = await bus.subscribe(topic, listener);
 * await subscription.unsubscribe();
 * ```
 */
export interface EventSubscription {
  unsubscribe(): Promise<void>;
}

/**
 * The realtime port: publish committed changes to per-tenant and per-queue topics and subscribe
 * to them. Adapters: {@link memoryEventBus} (one process), `postgresEventBus` (LISTEN/NOTIFY),
 * `redisEventBus` (`@carequeue/queue/redis`) and `supabaseRealtimeEventBus`
 * (`@carequeue/queue/supabase-realtime`).
 *
 * @example
 * ```ts
 * await bus.subscribe(queueTopic(tenantId, queueId), { onEvent: (event) => screen.refresh(event.entityId) });
 * await bus.publish(change);
 * ```
 */
export interface EventBus {
  /** Publishes a change that has committed; resolves with the event and its topic sequence. */
  publish(change: RealtimeChange): Promise<RealtimeEvent>;
  subscribe(topic: string, listener: RealtimeListener): Promise<EventSubscription>;
  /** The sequence of the newest event of the topic (0 when none), for snapshots. */
  currentSequence(tenantId: string, topic: string): Promise<number>;
  /** Ends subscriptions and connections the bus opened itself. */
  close(): Promise<void>;
}

/**
 * A bus that can publish inside a database transaction, so only committed changes go out.
 *
 * @example
 * ```ts
 * await sql.transaction(async (tx) => { await change(tx); await bus.publishIn(tx, event); });
 * ```
 */
export interface TransactionalEventBus extends EventBus {
  publishIn(tx: SqlExecutor, change: RealtimeChange): Promise<RealtimeEvent>;
}

/**
 * Publishes changes one after the other, so their sequences follow their order.
 *
 * @example
 * ```ts
 * afterCommit: (events) => publishAll(bus, queueRealtimeChanges(events)),
 * ```
 */
export async function publishAll(
  bus: Pick<EventBus, 'publish'>,
  changes: readonly RealtimeChange[],
): Promise<RealtimeEvent[]> {
  const published: RealtimeEvent[] = [];
  for (const change of changes) published.push(await bus.publish(change));
  return published;
}

const TransactionalEventSinkArgumentsSchema = z.object({
  bus: portOption('a TransactionalEventBus', ['publish', 'publishIn']),
});

/**
 * A QueueService `eventSink` publishing each change inside its transaction through a
 * transactional bus (Postgres NOTIFY is delivered at commit, and never for a rollback). On
 * in-memory storage (no executor) it publishes directly.
 *
 * @example
 * ```ts
 * const queue = createQueueService({ ...options, eventSink: transactionalEventSink(postgresBus) });
 * ```
 */
export function transactionalEventSink(bus: TransactionalEventBus): QueueEventSink {
  checkFactoryOptions('transactionalEventSink', TransactionalEventSinkArgumentsSchema, { bus }, '');
  return {
    async write(events, { executor }) {
      for (const change of queueRealtimeChanges(events)) {
        if (executor === undefined) await bus.publish(change);
        else await bus.publishIn(executor, change);
      }
    },
  };
}
