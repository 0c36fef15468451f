import { asServiceRole } from '@carequeue/core/sql';
import { sqlAppointmentArrivals } from './appointment-arrivals.js';
import { sqlQueueEntryRepository } from './queue-entry-repository.js';
import type { WalkInUnitOfWork } from '../ports/walk-in-unit-of-work.js';
import { checkedSqlUnits, type SqlUnitOfWorkOptions } from '../../postgres/sql-adapter-options.js';

/**
 * Options of {@link sqlWalkInUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlWalkInUnitOfWorkOptions = { executor };
 * ```
 */
export type SqlWalkInUnitOfWorkOptions = SqlUnitOfWorkOptions;

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
  const units = checkedSqlUnits('sqlWalkInUnitOfWork', options, {
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
