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
  DAY_MS,
  PatientId,
  QueueEntry,
  QueueEntryId,
  QueueId,
  ServiceTypeId,
  Timestamp,
  parseArguments,
  TimeZone,
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
    (range) => Date.parse(range.to) - Date.parse(range.from) <= MAX_ANALYTICS_SPAN_DAYS * DAY_MS,
    { message: `must be at most ${MAX_ANALYTICS_SPAN_DAYS} days after from`, path: ['to'] },
  );

const byEntry = z.object({ actor: ActorSchema, entryId: QueueEntryId });
const line = z.object({ actor: ActorSchema, clinicId: ClinicId, queueId: QueueId });

/** Argument schemas of each `QueueService` method, keyed by method name. */
export const queueArguments = {
  checkInWalkIn: z.object({ actor: ActorSchema, input: WalkInCheckInInput }),
  checkInAppointment: z.object({ actor: ActorSchema, input: AppointmentCheckInInput }),
  get: byEntry,
  listLine: line,
  triage: byEntry.extend({ priority: Priority }),
  callNext: z.object({ actor: ActorSchema, request: CallNextInput }),
  recall: byEntry,
  markNoShow: byEntry,
  sweepNoShows: z.object({ actor: ActorSchema, line: LineInput }),
  stepAway: byEntry,
  returnToLine: byEntry,
  leave: byEntry,
  cancel: byEntry,
  startService: byEntry,
  complete: byEntry,
  transfer: byEntry.extend({ request: TransferInput }),
  summary: line,
  estimateWait: byEntry,
  analytics: z.object({ actor: ActorSchema, request: AnalyticsInput }),
  events: z.object({
    actor: ActorSchema,
    line: LineInput,
    afterVersion: z.int().nonnegative(),
    limit: z.number().optional(),
  }),
};

/** A `QueueService` method that takes arguments. */
export type QueueMethod = keyof typeof queueArguments;

/**
 * Checks the arguments of a `QueueService` method against its schema.
 *
 * @throws `ValidationError` naming the argument path (under `queue.<method>`), never its value.
 */
export function parseQueueArguments<M extends QueueMethod>(
  method: M,
  args: Readonly<Record<string, unknown>>,
): z.output<(typeof queueArguments)[M]> {
  // Indexing the map with a generic key loses the schema's type; the key picks it back.
  const schema: z.ZodType = queueArguments[method];
  return parseArguments(schema, args, `queue.${method}`) as z.output<(typeof queueArguments)[M]>;
}

/**
 * Checks the actor and entry id of a `QueueService` method that takes them (a method with more
 * arguments checks those first, with {@link parseQueueArguments}).
 *
 * @throws `ValidationError` naming the argument path (under `queue.<method>`), never its value.
 */
export function parseEntryArguments(
  method: QueueMethod,
  args: { readonly actor: unknown; readonly entryId: unknown },
): z.output<typeof byEntry> {
  return parseArguments(byEntry, args, `queue.${method}`);
}
