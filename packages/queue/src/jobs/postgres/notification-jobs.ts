import type { JobHandler } from '../ports/job-scheduler.js';
import {
  bookingNotificationHandler,
  queueNotificationHandler,
  type BookingNotificationJobOptions,
  type QueueNotificationJobOptions,
} from '../notification-jobs.js';
import { sqlNotificationFacts } from './notification-facts.js';

/**
 * The handler of `NOTIFICATION_JOBS.booking` and `.bookingReminder` jobs (payload:
 * `appointmentId`, and `kind` for the former: `booking.confirmed` or `booking.cancelled`). It
 * reads the appointment, the patient's contact and the clinic as service_role, and writes the
 * notification into the outbox in the job's own transaction, so it is enqueued exactly once.
 * Nothing is sent when the appointment has moved on (a reminder for a cancelled booking), the
 * patient was erased, chose no messages or did not consent to the channel. The message shows the
 * clinic name and the time in the clinic's zone: never the service or the clinician.
 *
 * @throws QueueConfigError when an option is invalid. The handler rejects with a
 * `ValidationError` naming `clinic.timeZone` or `locale` when a stored zone or locale is unknown.
 *
 * @example
 * ```ts
 * import { createJobScheduler, bookingNotificationJob } from '@carequeue/queue/postgres';
 * import { NOTIFICATION_JOBS } from '@carequeue/queue';
 *
 * const scheduler = createJobScheduler({
 *   executor: sql,
 *   handlers: {
 *     [NOTIFICATION_JOBS.booking]: bookingNotificationJob({ outbox }),
 *     [NOTIFICATION_JOBS.bookingReminder]: bookingNotificationJob({ outbox }),
 *   },
 * });
 * ```
 */
export function bookingNotificationJob(options: BookingNotificationJobOptions): JobHandler {
  return bookingNotificationHandler(options, sqlNotificationFacts);
}

/**
 * The handler of `NOTIFICATION_JOBS.queue` jobs (payload: `queueId`, `clinicId`,
 * `fromVersion`, `toVersion`, as written by `queueNotificationSink` (root entry)). For every `called`
 * or `recalled` event in the version range it enqueues a "called" message naming the counter;
 * then it derives the positions of the waiting entries and enqueues "you're next" for each whose
 * position is at most the clinic's threshold or whose estimate is at most its minutes. Dedupe
 * keys (entry, version, recall count) make each message go out once per fact, however often the
 * rule is evaluated.
 *
 * @throws QueueConfigError when an option is invalid.
 *
 * @example
 * ```ts
 * import { queueNotificationJob } from '@carequeue/queue/postgres';
 * import { NOTIFICATION_JOBS } from '@carequeue/queue';
 *
 * const handlers = { [NOTIFICATION_JOBS.queue]: queueNotificationJob({ outbox, youreNext: { maxPosition: 2 } }) };
 * ```
 */
export function queueNotificationJob(options: QueueNotificationJobOptions): JobHandler {
  return queueNotificationHandler(options, sqlNotificationFacts);
}
