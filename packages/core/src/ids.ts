/**
 * Branded ids. Each id is a zod schema and a type of the same name, so a `PatientId` can never
 * be passed where an `AppointmentId` is expected. Ids are UUIDs (CareQueue mints UUIDv7) and are
 * pseudonymous: they may appear in URLs, logs and events.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { IdGenerator } from './id-generator.js';
import { parseOrThrow } from './validation.js';

/**
 * Id of a tenant: the organization that owns clinics and data.
 *
 * @example
 * ```ts
 * const tenantId = parseOrThrow(TenantId, claims.tenant_id, 'tenant id');
 * ```
 */
export const TenantId = z.uuid().brand<'TenantId', 'inout'>();
/** A parsed {@link TenantId}. */
export type TenantId = z.output<typeof TenantId>;

/**
 * Id of a clinic (a location with its own queues and schedules).
 *
 * @example
 * ```ts
 * const clinicId = parseOrThrow(ClinicId, request.params.clinicId, 'clinic id');
 * ```
 */
export const ClinicId = z.uuid().brand<'ClinicId', 'inout'>();
/** A parsed {@link ClinicId}. */
export type ClinicId = z.output<typeof ClinicId>;

/**
 * Id of a staff member.
 *
 * @example
 * ```ts
 * const staffId = parseOrThrow(StaffId, request.params.staffId, 'staff id');
 * ```
 */
export const StaffId = z.uuid().brand<'StaffId', 'inout'>();
/** A parsed {@link StaffId}. */
export type StaffId = z.output<typeof StaffId>;

/**
 * Id of a patient. Pseudonymous: it identifies a record, not a person, outside the data store.
 *
 * @example
 * ```ts
 * const patientId = parseOrThrow(PatientId, request.params.patientId, 'patient id');
 * ```
 */
export const PatientId = z.uuid().brand<'PatientId', 'inout'>();
/** A parsed {@link PatientId}. */
export type PatientId = z.output<typeof PatientId>;

/**
 * Id of an appointment.
 *
 * @example
 * ```ts
 * const appointmentId = parseOrThrow(AppointmentId, request.params.id, 'appointment id');
 * ```
 */
export const AppointmentId = z.uuid().brand<'AppointmentId', 'inout'>();
/** A parsed {@link AppointmentId}. */
export type AppointmentId = z.output<typeof AppointmentId>;

/**
 * Id of a queue (a line of waiting patients at a clinic).
 *
 * @example
 * ```ts
 * const queueId = parseOrThrow(QueueId, request.params.queueId, 'queue id');
 * ```
 */
export const QueueId = z.uuid().brand<'QueueId', 'inout'>();
/** A parsed {@link QueueId}. */
export type QueueId = z.output<typeof QueueId>;

/**
 * Id of one patient's place in a queue.
 *
 * @example
 * ```ts
 * const entryId = parseOrThrow(QueueEntryId, request.params.entryId, 'queue entry id');
 * ```
 */
export const QueueEntryId = z.uuid().brand<'QueueEntryId', 'inout'>();
/** A parsed {@link QueueEntryId}. */
export type QueueEntryId = z.output<typeof QueueEntryId>;

/**
 * Id of a staff invitation.
 *
 * @example
 * ```ts
 * const invitationId = parseOrThrow(InvitationId, request.params.id, 'invitation id');
 * ```
 */
export const InvitationId = z.uuid().brand<'InvitationId', 'inout'>();
/** A parsed {@link InvitationId}. */
export type InvitationId = z.output<typeof InvitationId>;

/**
 * Id of a service type (a kind of visit with a duration).
 *
 * @example
 * ```ts
 * const serviceTypeId = parseOrThrow(ServiceTypeId, body.serviceTypeId, 'service type id');
 * ```
 */
export const ServiceTypeId = z.uuid().brand<'ServiceTypeId', 'inout'>();
/** A parsed {@link ServiceTypeId}. */
export type ServiceTypeId = z.output<typeof ServiceTypeId>;

/**
 * Id of a user account (the identity that signs in; a staff member or a patient links to it).
 *
 * @example
 * ```ts
 * const userId = parseOrThrow(UserId, claims.sub, 'user id');
 * ```
 */
export const UserId = z.uuid().brand<'UserId', 'inout'>();
/** A parsed {@link UserId}. */
export type UserId = z.output<typeof UserId>;

/** Any of the branded id schemas of `@carequeue/core`. */
export type IdSchema =
  | typeof TenantId
  | typeof ClinicId
  | typeof StaffId
  | typeof PatientId
  | typeof AppointmentId
  | typeof QueueId
  | typeof QueueEntryId
  | typeof InvitationId
  | typeof ServiceTypeId
  | typeof UserId;

/**
 * Every id schema, keyed by its name.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(idSchemas)) registry.register(name, schema);
 * ```
 */
export const idSchemas = {
  TenantId,
  ClinicId,
  StaffId,
  PatientId,
  AppointmentId,
  QueueId,
  QueueEntryId,
  InvitationId,
  ServiceTypeId,
  UserId,
} as const;

/**
 * Parses an id of the given kind.
 *
 * @throws {@link ValidationError} when the value is not a UUID; the message never contains it.
 * @example
 * ```ts
 * const patientId: PatientId = parseId(PatientId, request.params.id);
 * ```
 */
export function parseId<S extends IdSchema>(schema: S, value: unknown): z.output<S> {
  return parseOrThrow(schema as z.core.$ZodType, value, 'id') as z.output<S>;
}

/**
 * Mints a new id of the given kind from an {@link IdGenerator}.
 *
 * @example
 * ```ts
 * const appointmentId = newId(AppointmentId, ids);
 * ```
 */
export function newId<S extends IdSchema>(schema: S, generator: IdGenerator): z.output<S> {
  return parseOrThrow(schema as z.core.$ZodType, generator.next(), 'generated id') as z.output<S>;
}
