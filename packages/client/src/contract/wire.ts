import {
  Appointment,
  ClinicId,
  Invitation,
  Patient,
  QueueEntry,
  QueueEntryId,
  QueueId,
  Timestamp,
  WaitEstimate,
} from '@carequeue/core';
import { z } from 'zod';

/**
 * A staff invitation as the API answers it: the stored invitation without its token hash.
 *
 * @example
 * ```ts
 * const invitation = InvitationView.parse(body);
 * ```
 */
export const InvitationView = Invitation.omit({ tokenHash: true });

/**
 * A queue entry as the API answers it, with its position in line while it waits.
 *
 * @example
 * ```ts
 * const entry = QueueEntryView.parse(body);
 * entry.position; // 3
 * ```
 */
export const QueueEntryView = QueueEntry.extend({ position: z.int().nonnegative().optional() });

/**
 * A patient's own place in a queue, as a link token opens it: ticket, status, position and
 * the wait estimate; no name.
 *
 * @example
 * ```ts
 * const place = QueuePlace.parse(body);
 * ```
 */
export const QueuePlace = z.object({
  entryId: QueueEntryId,
  clinicId: ClinicId,
  queueId: QueueId,
  ticket: QueueEntry.shape.ticket,
  status: QueueEntry.shape.status,
  position: z.int().nonnegative().optional(),
  estimate: WaitEstimate.optional(),
});

/**
 * The short-lived access a queue link token is exchanged for: sent as the bearer token of the
 * patient's own queue operations and of the event stream.
 *
 * @example
 * ```ts
 * const { accessToken } = QueueAccess.parse(body);
 * ```
 */
export const QueueAccess = z.object({
  accessToken: z.string().min(16).max(2048),
  entryId: QueueEntryId,
  expiresAt: Timestamp,
});

/**
 * Everything CareQueue holds about the signed-in patient (right of access and portability).
 *
 * @example
 * ```ts
 * const { patient, appointments } = PatientExport.parse(body);
 * ```
 */
export const PatientExport = z.object({
  patient: Patient,
  appointments: z.array(Appointment),
  queueEntries: z.array(QueueEntry),
  exportedAt: Timestamp,
});

/**
 * The receipt of a data subject request (rectification or erasure), which staff review.
 *
 * @example
 * ```ts
 * const { requestId, status } = DataRequestReceipt.parse(body);
 * ```
 */
export const DataRequestReceipt = z.object({
  requestId: z.uuid(),
  kind: z.enum(['rectification', 'erasure']),
  status: z.enum(['received']),
  receivedAt: Timestamp,
});

/**
 * The liveness or readiness of the API and its dependencies.
 *
 * @example
 * ```ts
 * const { status } = Health.parse(body);
 * ```
 */
export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.literal('v1'),
  checks: z.record(z.string(), z.enum(['ok', 'failing'])),
});

/**
 * A patient's reason for a data subject request: free text, so a tagged direct identifier.
 *
 * @example
 * ```ts
 * RequestReason.parse('My address changed.');
 * ```
 */
export const RequestReason = Patient.shape.notes;
