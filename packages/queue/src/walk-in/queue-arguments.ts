/**
 * The argument schemas of the queue service, built from core's id, `QueueEntry`, `Timestamp`
 * and `TimeZone` schemas.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import {
  ActorSchema,
  AppointmentId,
  ClinicId,
  PatientId,
  QueueEntry,
  QueueEntryId,
  QueueId,
  ServiceTypeId,
  TimeZone,
  Timestamp,
} from '@carequeue/core';

/** The longest analytics range, in days: a year of one clinic's check-ins in one call. */
export const MAX_ANALYTICS_SPAN_DAYS = 366;

const Priority = QueueEntry.shape.priority.unwrap();

const WalkInCheckInInput = z.strictObject({
  clinicId: ClinicId,
  queueId: QueueId,
  patientId: PatientId.optional(),
  guestName: QueueEntry.shape.guestName,
  serviceTypeId: ServiceTypeId.optional(),
  priority: Priority.optional(),
});

const AppointmentCheckInInput = z.strictObject({
  queueId: QueueId,
  appointmentId: AppointmentId,
  priority: Priority.optional(),
});

const LineInput = z.strictObject({ clinicId: ClinicId, queueId: QueueId });

const CallNextInput = LineInput.extend({ counter: QueueEntry.shape.counter });

const TransferInput = z.strictObject({
  queueId: QueueId,
  clinicId: ClinicId.optional(),
  priority: Priority.optional(),
  serviceTypeId: ServiceTypeId.optional(),
});

const AnalyticsInput = z
  .strictObject({
    clinicId: ClinicId,
    from: Timestamp,
    to: Timestamp,
    timeZone: TimeZone.optional(),
  })
  .refine((range) => Date.parse(range.from) < Date.parse(range.to), {
    message: 'must end after it starts',
    path: ['to'],
  })
  .refine(
    (range) =>
      Date.parse(range.to) - Date.parse(range.from) <= MAX_ANALYTICS_SPAN_DAYS * 86_400_000,
    { message: `must be at most ${MAX_ANALYTICS_SPAN_DAYS} days after from`, path: ['to'] },
  );

const byEntry = z.object({ actor: ActorSchema, entryId: QueueEntryId });

/** Argument schemas of each `QueueService` method, keyed by method name. */
export const queueArguments = {
  checkInWalkIn: z.object({ actor: ActorSchema, input: WalkInCheckInInput }),
  checkInAppointment: z.object({ actor: ActorSchema, input: AppointmentCheckInInput }),
  byEntry,
  line: z.object({ actor: ActorSchema, clinicId: ClinicId, queueId: QueueId }),
  triage: byEntry.extend({ priority: Priority }),
  callNext: z.object({ actor: ActorSchema, request: CallNextInput }),
  sweepNoShows: z.object({ actor: ActorSchema, line: LineInput }),
  transfer: byEntry.extend({ request: TransferInput }),
  analytics: z.object({ actor: ActorSchema, request: AnalyticsInput }),
  events: z.object({
    actor: ActorSchema,
    line: LineInput,
    afterVersion: z.int().nonnegative(),
    limit: z.number().optional(),
  }),
};
