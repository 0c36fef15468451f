import { z } from 'zod';
import { singleLine, TenantId, Timestamp } from '@carequeue/core';
import { checkedPort } from '../arguments/checked-port.js';
import { ExecutorArgument } from '../arguments/common-arguments.js';
import type { EventBus, RealtimeListener, TransactionalEventBus } from './event-bus.js';

/** A topic such as `queue:<tenant>:<queue>`: one line of 1-200 characters, as the SQL `CHECK`. */
const Topic = singleLine(z.string().min(1).max(200));

const Label = singleLine(z.string().min(1).max(200));

// Not strict: a bus publishes only the fields of a change and drops whatever else it holds.
const RealtimeChangeArgument = z.object({
  topic: Topic,
  tenantId: TenantId,
  clinicId: z.uuid().optional(),
  queueId: z.uuid().optional(),
  type: Label,
  entityId: Label,
  entityVersion: z.int().nonnegative(),
  occurredAt: Timestamp,
});

const ListenerArgument = z.custom<RealtimeListener>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<RealtimeListener>).onEvent === 'function',
  { message: 'must be a listener with an onEvent function' },
);

const methods = {
  publish: [['change', RealtimeChangeArgument]],
  subscribe: [
    ['topic', Topic],
    ['listener', ListenerArgument],
  ],
  currentSequence: [
    ['tenantId', TenantId],
    ['topic', Topic],
  ],
} as const;

/**
 * `bus` refusing, with a `ValidationError` and before anything is published or subscribed, a
 * change whose tenant is not a UUID or whose topic, type or entity is not one line of 1-200
 * characters, and a listener without `onEvent`. Every event bus wraps itself with it, so a change
 * the Postgres bus cannot store is refused by the memory and Redis buses too.
 *
 * @example
 * ```ts
 * return checkedEventBus({ publish, subscribe, currentSequence, close });
 * ```
 */
export function checkedEventBus(bus: EventBus): EventBus {
  return checkedPort('EventBus', bus, methods);
}

/**
 * {@link checkedEventBus} for a bus that also publishes inside a caller's transaction.
 *
 * @example
 * ```ts
 * return checkedTransactionalEventBus({ publishIn, publish, subscribe, currentSequence, close });
 * ```
 */
export function checkedTransactionalEventBus(bus: TransactionalEventBus): TransactionalEventBus {
  return checkedPort('EventBus', bus, {
    ...methods,
    publishIn: [
      ['tx', ExecutorArgument],
      ['change', RealtimeChangeArgument],
    ],
  });
}
