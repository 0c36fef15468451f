import { z } from 'zod';
import { systemClock, type Clock } from '@carequeue/core';
import type { QueueEvent, QueueEventSink } from '../walk-in/index.js';
import type { JobScheduler } from './ports/job-scheduler.js';
import { NOTIFICATION_JOBS } from './notification-jobs.js';
import { checkFactoryOptions, clockOption, portOption } from '../config/factory-options.js';

/**
 * Options of {@link queueNotificationSink}.
 *
 * @example
 * ```ts
 * const options: QueueNotificationSinkOptions = { scheduler, clock };
 * ```
 */
export interface QueueNotificationSinkOptions {
  readonly scheduler: JobScheduler;
  /** @default systemClock */
  readonly clock?: Clock;
}

const QueueNotificationSinkOptionsSchema = z.object({
  scheduler: portOption('a JobScheduler', ['schedule']),
  clock: clockOption.optional(),
});

/**
 * A QueueService `eventSink` that writes one {@link NOTIFICATION_JOBS}`.queue` job per queue
 * touched by a change, in the change's transaction: the notification rules then run as
 * service_role, so the request never reads patient contact data, and a rolled-back change
 * leaves no job and sends nothing. On in-memory storage (no executor) it does nothing.
 *
 * @example
 * ```ts
 * const queue = createQueueService({ ...options, eventSink: queueNotificationSink({ scheduler }) });
 * ```
 */
export function queueNotificationSink(options: QueueNotificationSinkOptions): QueueEventSink {
  checkFactoryOptions('queueNotificationSink', QueueNotificationSinkOptionsSchema, options);
  const clock = options.clock ?? systemClock;
  return {
    async write(events, { executor }) {
      if (executor === undefined || events.length === 0) return;
      const byQueue = new Map<string, QueueEvent[]>();
      for (const event of events) {
        const key = `${event.tenantId}:${event.queueId}`;
        byQueue.set(key, [...(byQueue.get(key) ?? []), event]);
      }
      for (const queueEvents of byQueue.values()) {
        const first = queueEvents[0] as QueueEvent;
        const versions = queueEvents.map((event) => event.version);
        const toVersion = Math.max(...versions);
        await options.scheduler.schedule(executor, {
          tenantId: first.tenantId,
          kind: NOTIFICATION_JOBS.queue,
          uniqueKey: `${NOTIFICATION_JOBS.queue}:${first.queueId}:${toVersion}`,
          runAt: clock.now(),
          payload: {
            queueId: first.queueId,
            clinicId: first.clinicId,
            fromVersion: Math.min(...versions) - 1,
            toVersion,
          },
        });
      }
    },
  };
}
