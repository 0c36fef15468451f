import { z } from 'zod';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import {
  memoryClinicRepository,
  requireTenantClinics,
  type ClinicRepository,
} from '../../clinics/index.js';
import {
  memoryPatientRepository,
  requireTenantPatient,
  type PatientRepository,
} from '../../patients/index.js';
import { trackRows } from '../../memory/snapshot.js';
import type { QueueEntryRepository } from '../ports/queue-entry-repository.js';
import { LIVE_QUEUE_STATUSES, type StoredQueueEntry } from '../queue-entry-record.js';
import type { QueueEvent } from '../ports/queue-event.js';
import { AlreadyQueuedError, QueueClinicMismatchError } from '../walk-in-errors.js';
import { checkedQueueEntryRepository } from '../ports/checked-queue-entry-repository.js';
import { checkFactoryOptions, repositoryOption } from '../../config/factory-options.js';

interface Line {
  readonly clinicId: string;
  readonly version: number;
  readonly lastTicket: number;
}

const byOrder = (a: StoredQueueEntry, b: StoredQueueEntry): number =>
  a.orderingKey - b.orderingKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Options of {@link memoryQueueEntryRepository}.
 *
 * @example
 * ```ts
 * const options: MemoryQueueEntryRepositoryOptions = { clinics };
 * ```
 */
export interface MemoryQueueEntryRepositoryOptions {
  /**
   * The clinics queue lines open at: only clinics of the line's tenant found here, as the SQL
   * foreign key requires.
   *
   * @default a new, empty memory clinic repository (no line can open)
   */
  readonly clinics?: ClinicRepository;
  /**
   * The patients entries may name: only patients of the entry's tenant found here, as the SQL
   * foreign key requires (a guest walk-in names none).
   *
   * @default a new, empty memory patient repository (no entry may name a patient)
   */
  readonly patients?: PatientRepository;
}

const MemoryQueueEntryRepositoryOptionsSchema = z.object({
  clinics: repositoryOption('a ClinicRepository').optional(),
  patients: repositoryOption('a PatientRepository').optional(),
});

/**
 * An in-memory {@link QueueEntryRepository}. `claimNext` selects and claims the head of the
 * line in one synchronous step, so no other caller can run in between: the in-process
 * equivalent of `FOR UPDATE SKIP LOCKED`. Rows are copied in and out, and replaced rather than
 * changed in place, so {@link memoryWalkInUnitOfWork} can restore them when a unit fails. A
 * line opens only at a clinic of its tenant (`ForeignKeyViolationError` otherwise), as on SQL.
 *
 * @example
 * ```ts
 * import { memoryQueueEntryRepository } from '@carequeue/queue';
 *
 * const entries = memoryQueueEntryRepository({ clinics });
 * ```
 */
export function memoryQueueEntryRepository(
  options: MemoryQueueEntryRepositoryOptions = {},
): QueueEntryRepository {
  checkFactoryOptions(
    'memoryQueueEntryRepository',
    MemoryQueueEntryRepositoryOptionsSchema,
    options,
  );
  const clinics = options.clinics ?? memoryClinicRepository();
  const patients = options.patients ?? memoryPatientRepository();
  const entries = new Map<string, StoredQueueEntry>();
  const lines = new Map<string, Line>();
  const events = new Map<string, QueueEvent[]>();
  const key = (tenantId: string, id: string): string => `${tenantId}/${id}`;
  const copy = <T>(value: T): T => structuredClone(value);
  const inLine = (tenantId: string, queueId: string): StoredQueueEntry[] =>
    [...entries.values()].filter(
      (entry) => entry.tenantId === tenantId && entry.queueId === queueId,
    );

  const repo: QueueEntryRepository = {
    async nextTicket(tenantId, clinicId, queueId) {
      const k = key(tenantId, queueId);
      if (!lines.has(k)) {
        await requireTenantClinics(
          clinics,
          tenantId,
          [clinicId],
          'queue_lines_tenant_id_clinic_id_fkey',
        );
      }
      const line = lines.get(k) ?? { clinicId, version: 0, lastTicket: 0 };
      if (line.clinicId !== clinicId) throw new QueueClinicMismatchError();
      const next: Line = { ...line, lastTicket: line.lastTicket + 1 };
      lines.set(k, next);
      return next.lastTicket;
    },

    lockLines() {
      // Memory units of work run one at a time, so there is nothing left to lock.
      return Promise.resolve();
    },

    async insert(entry) {
      // The entry's (tenant, queue, clinic) must be an open line, as the SQL foreign key requires.
      if (lines.get(key(entry.tenantId, entry.queueId))?.clinicId !== entry.clinicId) {
        throw new ForeignKeyViolationError('queue_entries_tenant_id_queue_id_clinic_id_fkey');
      }
      await requireTenantPatient(
        patients,
        entry.tenantId,
        entry.patientId,
        'queue_entries_tenant_id_patient_id_fkey',
      );
      const live =
        entry.appointmentId !== undefined &&
        [...entries.values()].some(
          (other) =>
            other.tenantId === entry.tenantId &&
            other.appointmentId === entry.appointmentId &&
            LIVE_QUEUE_STATUSES.includes(other.status),
        );
      if (live) throw new AlreadyQueuedError();
      entries.set(key(entry.tenantId, entry.id), copy(entry));
    },

    get(tenantId, id) {
      const found = entries.get(key(tenantId, id));
      return Promise.resolve(found === undefined ? undefined : copy(found));
    },

    update(entry) {
      const k = key(entry.tenantId, entry.id);
      const current = entries.get(k);
      if (current?.version !== entry.version - 1) return Promise.resolve(false);
      entries.set(k, copy(entry));
      return Promise.resolve(true);
    },

    claimNext(claim) {
      const head = inLine(claim.tenantId, claim.queueId)
        .filter((entry) => entry.status === 'waiting' && entry.clinicId === claim.clinicId)
        .sort(byOrder)[0];
      if (head === undefined) return Promise.resolve(undefined);
      const { counter: _counter, calledBy: _calledBy, ...rest } = head;
      const claimed: StoredQueueEntry = {
        ...rest,
        status: 'called',
        calledAt: claim.at,
        firstCalledAt: head.firstCalledAt ?? claim.at,
        ...(claim.counter === undefined ? {} : { counter: claim.counter }),
        ...(claim.calledBy === undefined ? {} : { calledBy: claim.calledBy }),
        updatedAt: claim.at,
        version: head.version + 1,
      };
      entries.set(key(claim.tenantId, head.id), claimed);
      return Promise.resolve(copy(claimed));
    },

    listLive(tenantId, queueId) {
      return Promise.resolve(
        inLine(tenantId, queueId)
          .filter((entry) => LIVE_QUEUE_STATUSES.includes(entry.status))
          .sort(byOrder)
          .map(copy),
      );
    },

    countAhead(entry) {
      return Promise.resolve(
        inLine(entry.tenantId, entry.queueId).filter(
          (other) => other.status === 'waiting' && byOrder(other, entry) < 0,
        ).length,
      );
    },

    listCheckedInBetween(tenantId, clinicId, from, to) {
      const fromMs = Date.parse(from);
      const toMs = Date.parse(to);
      return Promise.resolve(
        [...entries.values()]
          .filter((entry) => {
            const at = Date.parse(entry.checkedInAt);
            return (
              entry.tenantId === tenantId &&
              entry.clinicId === clinicId &&
              at >= fromMs &&
              at < toMs
            );
          })
          .sort((a, b) => Date.parse(a.checkedInAt) - Date.parse(b.checkedInAt) || byOrder(a, b))
          .map(copy),
      );
    },

    listCalledBefore(tenantId, queueId, calledBefore) {
      const limit = Date.parse(calledBefore);
      return Promise.resolve(
        inLine(tenantId, queueId)
          .filter(
            (entry) =>
              entry.status === 'called' &&
              entry.calledAt !== undefined &&
              Date.parse(entry.calledAt) < limit,
          )
          .sort(byOrder)
          .map(copy),
      );
    },

    appendEvents(pending) {
      if (pending.some((event) => !lines.has(key(event.tenantId, event.queueId)))) {
        return Promise.reject(new Error('The queue line must exist before its events.'));
      }
      const appended = pending.map((event) => {
        const k = key(event.tenantId, event.queueId);
        const line = lines.get(k) as Line;
        lines.set(k, { ...line, version: line.version + 1 });
        const stored: QueueEvent = { ...event, version: line.version + 1 };
        events.set(k, [...(events.get(k) ?? []), stored]);
        return copy(stored);
      });
      return Promise.resolve(appended);
    },

    listEvents(tenantId, queueId, afterVersion, limit) {
      return Promise.resolve(
        (events.get(key(tenantId, queueId)) ?? [])
          .filter((event) => event.version > afterVersion)
          .slice(0, limit)
          .map(copy),
      );
    },
  };
  return trackRows(checkedQueueEntryRepository(repo), entries, lines, events);
}
