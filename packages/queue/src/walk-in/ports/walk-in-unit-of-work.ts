import type { Actor } from '@carequeue/core';
import type { AuditEvent } from '@carequeue/audit';
import type { AppointmentArrivals } from './appointment-arrivals.js';
import type { QueueEntryRepository } from './queue-entry-repository.js';
import type { QueueEventTransaction } from './queue-event.js';

/**
 * What one unit of queue work may touch: entries and events, the appointments checking in,
 * the audit trail, and the transaction an event sink writes in.
 *
 * @example
 * ```ts
 * await unitOfWork.run(actor, async ({ entries, recordAudit }) => {
 *   const claimed = await entries.claimNext(claim);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface WalkInWorkScope {
  readonly entries: QueueEntryRepository;
  readonly appointments: AppointmentArrivals;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
  readonly transaction: QueueEventTransaction;
}

/**
 * Runs queue reads and writes as the actor, in one transaction with their audit events.
 *
 * @example
 * ```ts
 * const unitOfWork: WalkInUnitOfWork = memoryWalkInUnitOfWork({ auditStore: memoryAuditStore() });
 * ```
 */
export interface WalkInUnitOfWork {
  run<T>(actor: Actor, work: (scope: WalkInWorkScope) => Promise<T>): Promise<T>;
  /**
   * Reads a whole line past row-level security, for figures derived from it (a patient's
   * position and wait estimate count entries the patient may not see). The service calls it
   * only after authorizing the actor for the entry, and returns no other entry's data from it.
   */
  readLine<T>(work: (entries: QueueEntryRepository) => Promise<T>): Promise<T>;
}
