import { z } from 'zod';
import { checkFactoryOptions, functionOption } from '../config/factory-options.js';
import type { JobHandler } from './ports/job-scheduler.js';

/**
 * Job kinds of the maintenance work: the no-show and hold-expiry sweeps, whose handlers are
 * below, and the audit chain's sealing, run by `createAuditSealTask` of `@carequeue/audit` as a
 * task (option `tasks` of `createJobScheduler`).
 *
 * @example
 * ```ts
 * await scheduler.schedule(tx, { tenantId, kind: MAINTENANCE_JOBS.auditSeal, uniqueKey: `audit.seal:${minute}`, runAt });
 * ```
 */
export const MAINTENANCE_JOBS = {
  auditSeal: 'audit.seal',
  noShow: 'booking.no-show',
  holdExpiry: 'booking.hold-expiry',
} as const;

/**
 * Options of {@link noShowJob}.
 *
 * @example
 * ```ts
 * const options: NoShowJobOptions = { markNoShows: (tenantId, clinicId) => booking.markNoShows(worker(tenantId), clinicId) };
 * ```
 */
export interface NoShowJobOptions {
  /**
   * Marks the clinic's overdue bookings as no-shows, such as BookingService's `markNoShows`
   * called with the host's worker actor (role `service`), which audits each change.
   */
  readonly markNoShows: (tenantId: string, clinicId: string) => Promise<unknown>;
}

// Strict: these options hold one function each, so any other field is a mistake (a misspelt
// name would otherwise be dropped, and the job would fail only when it first runs).
const NoShowJobOptionsSchema = z.strictObject({ markNoShows: functionOption() });

/**
 * The handler of {@link MAINTENANCE_JOBS}`.noShow` jobs (payload: `clinicId`, and the
 * `appointmentId` that lets the booking's own end user schedule it), scheduled at an
 * appointment's start plus the grace period by `notifyingBookingUnitOfWork`: it runs the
 * no-show sweep of the clinic, which marks every booked appointment past its grace period.
 * Running it again marks nothing new, so retries are safe.
 *
 * @throws {@link QueueConfigError} when the options are not `{ markNoShows }` with a function
 * @example
 * ```ts
 * const handlers = { [MAINTENANCE_JOBS.noShow]: noShowJob({ markNoShows: (t, c) => booking.markNoShows(worker(t), c as ClinicId) }) };
 * ```
 */
export function noShowJob(options: NoShowJobOptions): JobHandler {
  checkFactoryOptions('noShowJob', NoShowJobOptionsSchema, options);
  return async (job) => {
    await options.markNoShows(job.tenantId, String(job.payload.clinicId));
  };
}

/**
 * Options of {@link holdExpiryJob}.
 *
 * @example
 * ```ts
 * const options: HoldExpiryJobOptions = { expireLapsedHolds: (tenantId, clinicId) => booking.expireLapsedOffers(worker(tenantId), clinicId) };
 * ```
 */
export interface HoldExpiryJobOptions {
  /**
   * Expires the clinic's lapsed pending holds, such as BookingService's `expireLapsedOffers`
   * called with the host's worker actor, which cancels each lapsed hold, audits it and offers
   * the freed slot to the waitlist.
   */
  readonly expireLapsedHolds: (tenantId: string, clinicId: string) => Promise<unknown>;
}

const HoldExpiryJobOptionsSchema = z.strictObject({ expireLapsedHolds: functionOption() });

/**
 * The handler of {@link MAINTENANCE_JOBS}`.holdExpiry` jobs (payload: `clinicId` and
 * `appointmentId`), scheduled at a
 * hold's expiry by `notifyingBookingUnitOfWork` (option `scheduleHoldExpiry`): it sweeps the
 * clinic's lapsed holds, so a freed slot is released (and offered) even when nobody tries to
 * book it. A hold that was confirmed or already swept is not lapsed, so retries are safe.
 *
 * @throws {@link QueueConfigError} when the options are not `{ expireLapsedHolds }` with a function
 * @example
 * ```ts
 * const handlers = { [MAINTENANCE_JOBS.holdExpiry]: holdExpiryJob({ expireLapsedHolds: (t, c) => booking.expireLapsedOffers(worker(t), c as ClinicId) }) };
 * ```
 */
export function holdExpiryJob(options: HoldExpiryJobOptions): JobHandler {
  checkFactoryOptions('holdExpiryJob', HoldExpiryJobOptionsSchema, options);
  return async (job) => {
    await options.expireLapsedHolds(job.tenantId, String(job.payload.clinicId));
  };
}
