import { z } from 'zod';
import { silentLogger, systemClock, type Clock, type Logger } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import type { RealtimeListener, TransactionalEventBus } from '../event-bus.js';
import {
  parseRealtimeEvent,
  toRealtimeEvent,
  type RealtimeChange,
  type RealtimeEvent,
} from '../realtime-event.js';
import { checkedTransactionalEventBus } from '../checked-event-bus.js';
import {
  checkFactoryOptions,
  executorOption,
  functionOption,
  loggerOption,
  portOption,
} from '../../config/factory-options.js';

/**
 * The part of a `pg.Client` the listener uses; `new pg.Client({ connectionString })` satisfies it.
 * It needs a session of its own (not a transaction-mode pooler such as PgBouncer in transaction
 * mode), because LISTEN lasts as long as the connection.
 *
 * @example
 * ```ts
 * const createListener = (): PgListenClient => new pg.Client({ connectionString });
 * ```
 */
export interface PgListenClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void,
  ): unknown;
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  end(): Promise<unknown>;
}

/**
 * Options of {@link postgresEventBus}.
 *
 * @example
 * ```ts
 * const options: PostgresEventBusOptions = { executor: sql, createListener: () => new pg.Client({ connectionString }) };
 * ```
 */
export interface PostgresEventBusOptions {
  /** Where sequences are kept and NOTIFY is sent (outside `publishIn`), as service_role. */
  readonly executor: SqlExecutor;
  /** Builds a new, unconnected listener client; called again after the connection is lost. */
  readonly createListener: () => PgListenClient;
  /** The NOTIFY channel. @default 'carequeue_events' */
  readonly channel?: string;
  /** Wait before reconnecting a lost listener. @default 1000 */
  readonly reconnectDelayMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
}

const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Takes the next sequence of a topic in `tx`. The row lock it takes serializes publishers of the
 * topic until commit, so sequences become visible in commit order. Under end-user claims only
 * staff who may broadcast on the topic advance it (`queue.next_topic_sequence`, migration 0014);
 * workers (service_role) advance any.
 *
 * @example
 * ```ts
 * const sequence = await nextTopicSequence(tx, tenantId, topic);
 * ```
 */
export async function nextTopicSequence(
  tx: SqlExecutor,
  tenantId: string,
  topic: string,
): Promise<number> {
  const { rows } = await tx.query<{ sequence: string | number }>(
    'SELECT queue.next_topic_sequence($1, $2) AS sequence',
    [tenantId, topic],
  );
  return Number(rows[0]?.sequence);
}

/**
 * The newest sequence of a topic as `tx` sees it (0 when none): read it in the transaction that
 * reads a snapshot, so the two agree.
 *
 * @example
 * ```ts
 * const snapshot = await sql.transaction(async (tx) => ({ sequence: await readTopicSequence(tx, tenantId, topic), state: await load(tx) }));
 * ```
 */
export async function readTopicSequence(
  tx: SqlExecutor,
  tenantId: string,
  topic: string,
): Promise<number> {
  const { rows } = await tx.query<{ sequence: string | number }>(
    'SELECT sequence FROM queue.realtime_topics WHERE tenant_id = $1 AND topic = $2',
    [tenantId, topic],
  );
  return rows[0] === undefined ? 0 : Number(rows[0].sequence);
}

const PostgresEventBusOptionsSchema = z.object({
  executor: executorOption,
  createListener: functionOption(),
  channel: z
    .string()
    .regex(CHANNEL_PATTERN, {
      message: 'must be a lower-case SQL identifier of at most 63 characters',
    })
    .optional(),
  reconnectDelayMs: z.int().min(0).max(86_400_000).optional(),
  clock: portOption('a Clock', ['now', 'setTimeout', 'clearTimeout']).optional(),
  logger: loggerOption.optional(),
});

/**
 * An `EventBus` (the port, exported by the root entry) over Postgres LISTEN/NOTIFY. `publishIn(tx, change)` takes the topic's next
 * sequence and calls `pg_notify` inside the change's transaction: Postgres delivers the
 * notification at commit and drops it on rollback, so subscribers only ever hear of committed
 * changes. One listener connection per bus LISTENs on one channel and hands events to the
 * subscribers of their topic. NOTIFY is visible to every session of the database and has no
 * replay, so the payload holds ids and versions only, and a lost listener reconnects and calls
 * every subscriber's `onReset` to resync from a snapshot.
 *
 * @throws TypeError (at creation) when the channel is not a lower-case SQL identifier.
 * @example
 * ```ts
 * import pg from 'pg';
 * import { transactionalEventSink } from '@carequeue/queue';
 * import { postgresEventBus } from '@carequeue/queue/postgres';
 *
 * const bus = postgresEventBus({ executor: sql, createListener: () => new pg.Client({ connectionString }) });
 * const queue = createQueueService({ ...options, eventSink: transactionalEventSink(bus) });
 * ```
 */
export function postgresEventBus(options: PostgresEventBusOptions): TransactionalEventBus {
  checkFactoryOptions('postgresEventBus', PostgresEventBusOptionsSchema, options);
  const channel = options.channel ?? 'carequeue_events';
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'postgres-event-bus' });
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  const listeners = new Map<string, Set<RealtimeListener>>();
  let client: PgListenClient | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  function dispatch(payload: string | undefined): void {
    if (payload === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    const event = parseRealtimeEvent(parsed);
    if (event === undefined) return;
    for (const listener of listeners.get(event.topic) ?? []) listener.onEvent(event);
  }

  function resetAll(): void {
    for (const set of listeners.values()) for (const listener of set) listener.onReset?.();
  }

  // No caller awaits a reconnect, so its timer does not keep the process alive; after close()
  // the attempt it runs does nothing.
  function scheduleReconnect(): void {
    clock.setTimeout(() => void ensureConnected(true), reconnectDelayMs, { background: true });
  }

  async function connect(): Promise<void> {
    const next = options.createListener();
    let lost = false;
    const onLost = (): void => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ channel }, 'listener connection lost, reconnecting');
      scheduleReconnect();
    };
    next.on('notification', (message) => {
      if (message.channel === channel) dispatch(message.payload);
    });
    next.on('error', onLost);
    next.on('end', onLost);
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  }

  function ensureConnected(reset: boolean): Promise<void> {
    if (closed) return Promise.resolve();
    if (client !== undefined) return Promise.resolve();
    connecting ??= connect()
      .then(() => {
        if (reset) resetAll();
      })
      .catch((error: unknown) => {
        logger.warn(
          { channel, error: error instanceof Error ? error.name : 'unknown' },
          'listener connect failed',
        );
        scheduleReconnect();
        throw error;
      })
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  }

  async function publishIn(tx: SqlExecutor, change: RealtimeChange): Promise<RealtimeEvent> {
    const sequence = await nextTopicSequence(tx, change.tenantId, change.topic);
    const event = toRealtimeEvent(change, sequence);
    await tx.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(event)]);
    return event;
  }

  return checkedTransactionalEventBus({
    publishIn,
    publish(change) {
      return asServiceRole(options.executor, (tx) => publishIn(tx, change));
    },
    async subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set<RealtimeListener>();
      set.add(listener);
      listeners.set(topic, set);
      await ensureConnected(false);
      listener.onReset?.();
      return {
        unsubscribe() {
          set.delete(listener);
          if (set.size === 0) listeners.delete(topic);
          return Promise.resolve();
        },
      };
    },
    currentSequence(tenantId, topic) {
      return asServiceRole(options.executor, (tx) => readTopicSequence(tx, tenantId, topic));
    },
    async close() {
      closed = true;
      listeners.clear();
      const current = client;
      client = undefined;
      await current?.end();
    },
  });
}
