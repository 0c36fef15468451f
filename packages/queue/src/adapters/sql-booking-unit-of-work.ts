import { asServiceRole, claimsForActor, withClaims, type SqlExecutor } from '@carequeue/core/sql';
import { recordInTransaction } from '@carequeue/audit/postgres';
import type { BookingUnitOfWork, BookingWorkScope } from '../booking/booking-unit-of-work.js';
import { sqlAppointmentRepository } from './sql-appointment-repository.js';
import { sqlClinicRepository } from './sql-clinic-repository.js';
import { sqlScheduleRepository } from './sql-schedule-repository.js';
import { sqlServiceTypeRepository } from './sql-service-type-repository.js';
import { sqlWaitlistRepository } from './sql-waitlist-repository.js';

/**
 * Options of {@link sqlBookingUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlBookingUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlBookingUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

/**
 * A {@link BookingUnitOfWork} over core's `SqlExecutor`: each unit is one transaction under the
 * actor's claims, so row-level security applies, with its audit events inserted in it. Actors
 * with the `service` role (workers such as the no-show sweep and waitlist offers) run as
 * `service_role`.
 *
 * @example
 * ```ts
 * import { createBookingService } from '@carequeue/queue';
 * import { sqlBookingUnitOfWork } from '@carequeue/queue/postgres';
 *
 * const booking = createBookingService({ unitOfWork: sqlBookingUnitOfWork({ executor }), audit, clock, idempotency });
 * ```
 */
export function sqlBookingUnitOfWork(options: SqlBookingUnitOfWorkOptions): BookingUnitOfWork {
  const scopeOf = (tx: SqlExecutor): BookingWorkScope => ({
    appointments: sqlAppointmentRepository({ executor: tx }),
    waitlist: sqlWaitlistRepository({ executor: tx }),
    clinics: sqlClinicRepository({ executor: tx }),
    serviceTypes: sqlServiceTypeRepository({ executor: tx }),
    schedules: sqlScheduleRepository({ executor: tx }),
    recordAudit: (event) => recordInTransaction(tx, event),
  });
  return {
    run(actor, work) {
      if (actor.roles.includes('service')) {
        return asServiceRole(options.executor, (tx) => work(scopeOf(tx)));
      }
      return withClaims(options.executor, claimsForActor(actor), (tx) => work(scopeOf(tx)));
    },
  };
}
