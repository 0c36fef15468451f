import { StaleVersionError } from '../../errors.js';
import type { WaitlistEntry, WaitlistRepository } from '../ports/waitlist-repository.js';
import { checkedWaitlistRepository } from '../ports/checked-waitlist-repository.js';

/**
 * A {@link WaitlistRepository} in memory that can return to an earlier state, so an in-memory
 * unit of work rolls back like a transaction.
 *
 * @example
 * ```ts
 * const restore = waitlist.checkpoint();
 * ```
 */
export interface MemoryWaitlistRepository extends WaitlistRepository {
  /** Remembers the current state and returns a function that restores it. */
  checkpoint(): () => void;
}

/**
 * An in-memory {@link WaitlistRepository}. Returned entries are copies.
 *
 * @example
 * ```ts
 * import { memoryWaitlistRepository } from '@carequeue/queue';
 *
 * const waitlist = memoryWaitlistRepository();
 * ```
 */
export function memoryWaitlistRepository(): MemoryWaitlistRepository {
  let rows = new Map<string, WaitlistEntry>();
  return checkedWaitlistRepository({
    checkpoint() {
      const saved = new Map(rows);
      return () => {
        rows = saved;
      };
    },
    insert(entry) {
      if (rows.has(entry.id)) return Promise.reject(new StaleVersionError('waitlist entry'));
      rows.set(entry.id, { ...entry });
      return Promise.resolve();
    },
    update(entry) {
      const current = rows.get(entry.id);
      if (current?.tenantId !== entry.tenantId || current.version !== entry.version - 1) {
        return Promise.reject(new StaleVersionError('waitlist entry'));
      }
      rows.set(entry.id, { ...entry });
      return Promise.resolve();
    },
    get(tenantId, id) {
      const found = rows.get(id);
      return Promise.resolve(found?.tenantId === tenantId ? { ...found } : undefined);
    },
    nextWaiting(tenantId, clinicId, serviceTypeId, staffId, start) {
      const at = Date.parse(start);
      const found = [...rows.values()]
        .filter(
          (entry) =>
            entry.tenantId === tenantId &&
            entry.clinicId === clinicId &&
            entry.serviceTypeId === serviceTypeId &&
            entry.status === 'waiting' &&
            (entry.staffId === undefined || entry.staffId === staffId) &&
            (entry.earliestAt === undefined || Date.parse(entry.earliestAt) <= at) &&
            (entry.latestAt === undefined || Date.parse(entry.latestAt) >= at),
        )
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0];
      return Promise.resolve(found === undefined ? undefined : { ...found });
    },
    reopenLapsedOffers(tenantId, holdIds, now) {
      const reopened = [];
      for (const entry of rows.values()) {
        if (
          entry.tenantId !== tenantId ||
          entry.status !== 'offered' ||
          entry.offeredAppointmentId === undefined ||
          !holdIds.includes(entry.offeredAppointmentId)
        )
          continue;
        const { offeredAppointmentId: _lapsed, ...rest } = entry;
        const waiting: WaitlistEntry = {
          ...rest,
          status: 'waiting',
          updatedAt: now,
          version: entry.version + 1,
        };
        rows.set(entry.id, waiting);
        reopened.push({ id: entry.id, patientId: entry.patientId, version: waiting.version });
      }
      return Promise.resolve(reopened);
    },
    findByOffer(tenantId, appointmentId) {
      const found = [...rows.values()].find(
        (entry) => entry.tenantId === tenantId && entry.offeredAppointmentId === appointmentId,
      );
      return Promise.resolve(found === undefined ? undefined : { ...found });
    },
  });
}
