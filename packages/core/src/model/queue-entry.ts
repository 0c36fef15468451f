/**
 * The queue entry aggregate: one patient's place in a queue, and its state machine.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import {
  AppointmentId,
  ClinicId,
  PatientId,
  QueueEntryId,
  QueueId,
  StaffId,
  TenantId,
} from '../ids.js';
import { phi } from '../phi.js';
import { Timestamp, Version } from './common.js';
import { singleLine } from './text.js';
import type { TransitionTable } from './transitions.js';

/**
 * Queue entry statuses. `called` has no FHIR code; the others map to `Encounter.status` and
 * `Encounter.subjectStatus` on export.
 *
 * @example
 * ```ts
 * QUEUE_ENTRY_STATUSES.includes('in_service'); // true
 * ```
 */
export const QUEUE_ENTRY_STATUSES = [
  'waiting',
  'called',
  'in_service',
  'completed',
  'no_show',
  'left',
  'cancelled',
  'transferred',
  'away',
] as const;

/**
 * A queue entry status.
 *
 * @example
 * ```ts
 * QueueEntryStatus.parse('waiting');
 * ```
 */
export const QueueEntryStatus = z.enum(QUEUE_ENTRY_STATUSES);
/** A parsed {@link QueueEntryStatus}. */
export type QueueEntryStatus = z.output<typeof QueueEntryStatus>;

/**
 * Statuses in which an entry holds a place in line; its position is derived from these rows.
 *
 * @example
 * ```ts
 * WAITING_STATUSES.includes(entry.status);
 * ```
 */
export const WAITING_STATUSES: readonly QueueEntryStatus[] = ['waiting'];

/**
 * The queue entry state machine.
 *
 * @example
 * ```ts
 * assertTransition(queueEntryTransitions, entry.status, 'called');
 * ```
 */
export const queueEntryTransitions: TransitionTable<QueueEntryStatus> = {
  entity: 'queue entry',
  initial: ['waiting'],
  transitions: {
    waiting: ['called', 'away', 'left', 'cancelled'],
    called: ['waiting', 'in_service', 'no_show'],
    away: ['waiting'],
    in_service: ['completed', 'transferred'],
    completed: [],
    no_show: [],
    left: [],
    cancelled: [],
    transferred: [],
  },
};

/**
 * How a patient joined the queue.
 *
 * @example
 * ```ts
 * QueueEntrySource.parse('walk-in');
 * ```
 */
export const QueueEntrySource = z.enum(['walk-in', 'appointment', 'transfer']);
/** A parsed {@link QueueEntrySource}. */
export type QueueEntrySource = z.output<typeof QueueEntrySource>;

/**
 * One patient's place in a queue. Position is never stored: it is derived from priority and
 * `effectiveAt` among waiting entries.
 *
 * @example
 * ```ts
 * const entry = parseOrThrow(QueueEntry, row, 'queue entry');
 * ```
 */
export const QueueEntry = z.object({
  id: QueueEntryId,
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  /** Absent for an anonymous walk-in. */
  patientId: PatientId.optional(),
  appointmentId: AppointmentId.optional(),
  source: QueueEntrySource,
  status: QueueEntryStatus,
  /** Higher is served first. @default 0 */
  priority: z.int().min(-100).max(100).default(0),
  /** The ticket shown on screens, such as `A012`. Pseudonymous. */
  ticket: z
    .string()
    .regex(/^[A-Z0-9-]{1,12}$/, { message: 'must be 1 to 12 capital letters, digits or dashes' }),
  /** A name for an anonymous walk-in, as given at the desk. */
  guestName: phi('direct', singleLine(z.string().max(200))).optional(),
  checkedInAt: Timestamp,
  /** The ordering instant: check-in time, or the appointment start minus grace. */
  effectiveAt: Timestamp,
  calledAt: Timestamp.optional(),
  calledBy: StaffId.optional(),
  counter: singleLine(z.string().max(50)).optional(),
  recallCount: z.int().min(0).default(0),
  /** The entry created in the target queue when this one was transferred. */
  transferredToEntryId: QueueEntryId.optional(),
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link QueueEntry}. */
export type QueueEntry = z.output<typeof QueueEntry>;
