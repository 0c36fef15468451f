import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { silentLogger, systemClock, type Clock, type Logger } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import type { DeadLetterQueue } from '@carequeue/resilience';
import type { NotificationTemplates } from '../notification-templates.js';
import type { NotificationChannel, Notifier } from '../notifier.js';
import type { OptOutStore } from '../ports/opt-out-store.js';
import { dispatchOutbox, type OutboxDispatcher } from '../dispatch-outbox.js';
import { sqlOutboxDeliveries } from './outbox-deliveries.js';
import {
  checkFactoryOptions,
  functionOption,
  loggerOption,
  portOption,
} from '../../config/factory-options.js';

/**
 * Options of {@link createOutboxDispatcher}.
 *
 * @example
 * ```ts
 * const options: OutboxDispatcherOptions = {
 *   executor: sql,
 *   encryptor,
 *   templates: createNotificationTemplates(),
 *   notifiers: { sms: resilientNotifier(twilioSmsNotifier(twilio)) },
 *   optOuts: (tx) => sqlOptOutStore({ executor: tx, blindIndex }),
 *   deadLetters,
 * };
 * ```
 */
export interface OutboxDispatcherOptions {
  /** The pool the dispatcher claims and records with, as service_role. */
  readonly executor: SqlExecutor;
  readonly encryptor: FieldEncryptor;
  readonly templates: NotificationTemplates;
  /** One notifier per channel; rows of a channel without one stay pending. */
  readonly notifiers: Partial<Record<NotificationChannel, Notifier>>;
  /** The opt-out store over a service_role executor. Checked before every send. */
  readonly optOuts: (executor: SqlExecutor) => OptOutStore;
  /** Where undeliverable notifications go; their payload holds the notification id only. */
  readonly deadLetters: DeadLetterQueue;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger; lines carry ids, kinds and error codes only */
  readonly logger?: Logger;
  /** Identifies this dispatcher in `locked_by`. @default host, pid and a random suffix */
  readonly workerId?: string;
  /**
   * How long a claim lasts. A row still `sending` after it (its dispatcher died) is claimed again.
   * Keep it well above the longest send, retries included.
   *
   * @default 120000
   */
  readonly leaseMs?: number;
  /** Rows claimed per round. @default 10 */
  readonly batchSize?: number;
  /** Pause between rounds that found nothing, for {@link OutboxDispatcher.start}. @default 1000 */
  readonly pollIntervalMs?: number;
}

const OutboxDispatcherOptionsSchema = z.object({
  executor: portOption('a SqlExecutor', ['query', 'transaction']),
  encryptor: portOption('a FieldEncryptor', ['decrypt']),
  templates: portOption('a NotificationTemplates', ['render']),
  notifiers: z.record(z.string(), portOption('a Notifier', ['send'])),
  optOuts: functionOption(),
  deadLetters: portOption('a DeadLetterQueue', ['capture', 'replay']),
  clock: portOption('a Clock', ['now', 'setTimeout', 'clearTimeout']).optional(),
  logger: loggerOption.optional(),
  workerId: z.string().min(1).max(200).optional(),
  leaseMs: z.int().min(1).max(86_400_000).optional(),
  batchSize: z.int().min(1).max(1000).optional(),
  pollIntervalMs: z.int().min(1).max(86_400_000).optional(),
});

/**
 * Creates the outbox dispatcher. Each round claims due rows as service_role with
 * `FOR UPDATE SKIP LOCKED` (so several dispatchers share the work), marks them `sending` with a
 * lease and commits; then, outside any transaction, it checks opt-outs, renders and sends each
 * one, and records the provider's message id. A dispatcher that dies leaves its rows `sending`;
 * when the lease runs out another claims and sends them again. So delivery is at least once, and
 * a duplicate can only follow a crash between the provider's acceptance and the record.
 *
 * A recipient that opted out is skipped (a Twilio 21610 answer records the opt-out). Any other
 * failure, after the notifier's own retries, parks the row as a dead letter holding only its id;
 * {@link OutboxDispatcher.replayDeadLetters} delivers them once the provider is back.
 *
 * @example
 * ```ts
 * import { createOutboxDispatcher } from '@carequeue/queue/postgres';
 *
 * const dispatcher = createOutboxDispatcher({ executor: sql, encryptor, templates, notifiers, optOuts, deadLetters });
 * dispatcher.start();
 * ```
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  checkFactoryOptions('createOutboxDispatcher', OutboxDispatcherOptionsSchema, options);
  const { executor } = options;
  return dispatchOutbox({
    deliveries: sqlOutboxDeliveries({
      executor,
      workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    }),
    optOuts: {
      isOptedOut: (tenantId, channel, address) =>
        options.optOuts(executor).isOptedOut(tenantId, channel, address),
      // Recorded as service_role: the dispatcher acts for no end user.
      record: (optOut) => asServiceRole(executor, (tx) => options.optOuts(tx).record(optOut)),
    },
    encryptor: options.encryptor,
    templates: options.templates,
    notifiers: options.notifiers,
    deadLetters: options.deadLetters,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    leaseMs: options.leaseMs ?? 120_000,
    batchSize: options.batchSize ?? 10,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });
}
