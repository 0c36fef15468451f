import { z } from 'zod';
import { systemClock, type Clock } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { sqlBookingUnitOfWork } from '../../booking/postgres/index.js';
import type {
  AppointmentRepository,
  BookingUnitOfWork,
  StoredAppointment,
} from '../../booking/index.js';
import type { JobScheduler } from '../ports/job-scheduler.js';
import { MAINTENANCE_JOBS } from '../maintenance-jobs.js';
import { NOTIFICATION_JOBS } from '../notification-jobs.js';
import { checkFactoryOptions, clockOption, portOption } from '../../config/factory-options.js';

/**
 * Options of {@link notifyingBookingUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: NotifyingBookingUnitOfWorkOptions = { executor, scheduler, reminderLeadMs: 86_400_000 };
 * ```
 */
export interface NotifyingBookingUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
  readonly scheduler: JobScheduler;
  /** How long before the start the reminder goes out. @default 86400000 (a day) */
  readonly reminderLeadMs?: number;
  /**
   * When set, a booked appointment also gets a no-show sweep job at its start plus this grace
   * period ({@link MAINTENANCE_JOBS}`.noShow`).
   */
  readonly noShowGraceMs?: number;
  /**
   * When true, a new pending hold also gets a hold-expiry sweep job at its expiry
   * ({@link MAINTENANCE_JOBS}`.holdExpiry`); register `holdExpiryJob` for it. @default false
   */
  readonly scheduleHoldExpiry?: boolean;
  /** @default systemClock */
  readonly clock?: Clock;
}

const NotifyingBookingUnitOfWorkOptionsSchema = z.object({
  executor: portOption('a SqlExecutor', ['query', 'transaction']),
  scheduler: portOption('a JobScheduler', ['schedule']),
  reminderLeadMs: z
    .int()
    .min(0)
    .max(366 * 86_400_000)
    .optional(),
  noShowGraceMs: z
    .int()
    .min(0)
    .max(366 * 86_400_000)
    .optional(),
  scheduleHoldExpiry: z.boolean().optional(),
  clock: clockOption.optional(),
});

/**
 * The SQL booking unit of work with notification triggers: when an appointment becomes
 * `booked` it schedules a confirmation and a reminder (at start minus `reminderLeadMs`, if that
 * is still ahead), and when one becomes `cancelled` a cancellation, all as jobs written in the
 * booking's own transaction. It is `sqlBookingUnitOfWork` otherwise (RLS under the actor's
 * claims, audit in the same transaction, `service` actors as service_role).
 *
 * @example
 * ```ts
 * const booking = createBookingService({
 *   unitOfWork: notifyingBookingUnitOfWork({ executor: sql, scheduler }),
 *   audit, clock, idempotency,
 * });
 * ```
 */
export function notifyingBookingUnitOfWork(
  options: NotifyingBookingUnitOfWorkOptions,
): BookingUnitOfWork {
  checkFactoryOptions(
    'notifyingBookingUnitOfWork',
    NotifyingBookingUnitOfWorkOptionsSchema,
    options,
  );
  const clock = options.clock ?? systemClock;
  const leadMs = options.reminderLeadMs ?? 86_400_000;

  async function changed(
    tx: SqlExecutor,
    before: StoredAppointment | undefined,
    after: StoredAppointment,
  ): Promise<void> {
    if (before?.status === after.status) return;
    const now = clock.now();
    const base = { tenantId: after.tenantId, runAt: now, payload: { appointmentId: after.id } };
    if (after.status === 'booked') {
      await options.scheduler.schedule(tx, {
        ...base,
        kind: NOTIFICATION_JOBS.booking,
        uniqueKey: `booking.confirmed:${after.id}`,
        payload: { appointmentId: after.id, kind: 'booking.confirmed' },
      });
      const remindAt = Date.parse(after.start) - leadMs;
      if (remindAt > now) {
        await options.scheduler.schedule(tx, {
          ...base,
          kind: NOTIFICATION_JOBS.bookingReminder,
          uniqueKey: `booking.reminder:${after.id}`,
          runAt: remindAt,
        });
      }
      if (options.noShowGraceMs !== undefined) {
        await options.scheduler.schedule(tx, {
          tenantId: after.tenantId,
          kind: MAINTENANCE_JOBS.noShow,
          uniqueKey: `booking.no-show:${after.id}`,
          runAt: Date.parse(after.start) + options.noShowGraceMs,
          payload: { clinicId: after.clinicId, appointmentId: after.id },
        });
      }
    } else if (
      after.status === 'pending' &&
      after.holdExpiresAt !== undefined &&
      options.scheduleHoldExpiry === true
    ) {
      await options.scheduler.schedule(tx, {
        tenantId: after.tenantId,
        kind: MAINTENANCE_JOBS.holdExpiry,
        uniqueKey: `booking.hold-expiry:${after.id}`,
        runAt: Date.parse(after.holdExpiresAt),
        payload: { clinicId: after.clinicId, appointmentId: after.id },
      });
    } else if (after.status === 'cancelled' && before !== undefined) {
      await options.scheduler.schedule(tx, {
        ...base,
        kind: NOTIFICATION_JOBS.booking,
        uniqueKey: `booking.cancelled:${after.id}`,
        payload: { appointmentId: after.id, kind: 'booking.cancelled' },
      });
    }
  }

  function withTriggers(
    tx: SqlExecutor,
    appointments: AppointmentRepository,
  ): AppointmentRepository {
    return Object.assign(Object.create(appointments) as AppointmentRepository, {
      async insert(appointment: StoredAppointment) {
        await appointments.insert(appointment);
        await changed(tx, undefined, appointment);
      },
      async update(appointment: StoredAppointment) {
        const before = await appointments.get(appointment.tenantId, appointment.id);
        await appointments.update(appointment);
        await changed(tx, before, appointment);
      },
    });
  }

  return sqlBookingUnitOfWork({ executor: options.executor, appointments: withTriggers });
}
