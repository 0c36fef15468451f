import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { sqlUnits } from '../../postgres/unit-of-work.js';
import { sqlAppointmentArrivals } from './appointment-arrivals.js';
import { sqlQueueEntryRepository } from './queue-entry-repository.js';
import type { WalkInUnitOfWork } from '../ports/walk-in-unit-of-work.js';
import { checkFactoryOptions, SqlUnitOfWorkOptionsSchema } from '../../config/factory-options.js';

/**
 * Options of {@link sqlWalkInUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlWalkInUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlWalkInUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

/**
 * A {@link WalkInUnitOfWork} over core's `SqlExecutor`: each unit is one transaction under the
 * actor's claims, so row-level security applies, with its audit events and queue events in it.
 * An actor with the `service` role (a worker such as the no-show sweeper) runs as
 * `service_role`; the service has checked its tenant already. `readLine` runs as `service_role`
 * too, for positions and estimates that count rows the actor may not see.
 *
 * @example
 * ```ts
 * import { createQueueService } from '@carequeue/queue';
 * import { sqlWalkInUnitOfWork } from '@carequeue/queue/postgres';
 *
 * const queue = createQueueService({ unitOfWork: sqlWalkInUnitOfWork({ executor }), audit, cache, clock });
 * ```
 */
export function sqlWalkInUnitOfWork(options: SqlWalkInUnitOfWorkOptions): WalkInUnitOfWork {
  checkFactoryOptions('sqlWalkInUnitOfWork', SqlUnitOfWorkOptionsSchema, options);
  const units = sqlUnits({
    executor: options.executor,
    serviceActorsAsServiceRole: true,
    scope: (tx, recordAudit) => ({
      entries: sqlQueueEntryRepository({ executor: tx }),
      appointments: sqlAppointmentArrivals({ executor: tx }),
      recordAudit,
      transaction: { executor: tx },
    }),
  });
  return {
    run: units.asActor,
    readLine(work) {
      return asServiceRole(options.executor, (tx) =>
        work(sqlQueueEntryRepository({ executor: tx })),
      );
    },
  };
}
