import { z } from 'zod';
import type { SqlExecutor } from '@carequeue/core/sql';
import { sqlUnits } from '../../postgres/unit-of-work.js';
import type { AppointmentRepository } from '../ports/appointment-repository.js';
import type { BookingUnitOfWork } from '../ports/booking-unit-of-work.js';
import { sqlAppointmentRepository } from './appointment-repository.js';
import { sqlClinicRepository, sqlServiceTypeRepository } from '../../clinics/postgres/index.js';
import { sqlScheduleRepository } from '../../staff/postgres/index.js';
import { sqlWaitlistRepository } from './waitlist-repository.js';
import {
  checkFactoryOptions,
  functionOption,
  unitOfWorkExecutorOption,
} from '../../config/factory-options.js';

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
  /**
   * Wraps each unit's appointment repository, to write more rows in the same transaction when
   * an appointment is inserted or updated (jobs, outbox rows). @default the repository as is
   */
  readonly appointments?: (
    tx: SqlExecutor,
    appointments: AppointmentRepository,
  ) => AppointmentRepository;
  /**
   * How many times a unit runs at most when it deadlocks or fails to serialize against another
   * (concurrent inserts checked by the no-overlap constraint can deadlock). @default 5
   */
  readonly conflictAttempts?: number;
}

const SqlBookingUnitOfWorkOptionsSchema = z.object({
  executor: unitOfWorkExecutorOption,
  appointments: functionOption().optional(),
  conflictAttempts: z.int().min(1).max(100).optional(),
});

/**
 * A {@link BookingUnitOfWork} over core's `SqlExecutor`: each unit is one transaction under the
 * actor's claims, so row-level security applies, with its audit events inserted in it. Actors
 * with the `service` role (workers such as the no-show sweep and waitlist offers) run as
 * `service_role`. A unit that Postgres aborts as a deadlock or serialization failure runs again
 * from the start (its work must keep no effects outside the transaction, as the booking service's
 * units do); the rerun meets the winner as an ordinary conflict.
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
  checkFactoryOptions('sqlBookingUnitOfWork', SqlBookingUnitOfWorkOptionsSchema, options);
  const wrapAppointments = options.appointments ?? ((_tx, appointments) => appointments);
  const units = sqlUnits({
    executor: options.executor,
    serviceActorsAsServiceRole: true,
    conflictAttempts: options.conflictAttempts ?? 5,
    scope: (tx, recordAudit) => ({
      appointments: wrapAppointments(tx, sqlAppointmentRepository({ executor: tx })),
      waitlist: sqlWaitlistRepository({ executor: tx }),
      clinics: sqlClinicRepository({ executor: tx }),
      serviceTypes: sqlServiceTypeRepository({ executor: tx }),
      schedules: sqlScheduleRepository({ executor: tx }),
      recordAudit,
    }),
  });
  return { run: units.asActor };
}
