/**
 * The CareQueue domain model: one schema and inferred type per aggregate, plus status
 * transition tables.
 *
 * @packageDocumentation
 */
import { Appointment } from './appointment.js';
import { Clinic } from './clinic.js';
import { Invitation } from './invitation.js';
import { Patient } from './patient.js';
import { QueueEntry } from './queue-entry.js';
import { Schedule } from './schedule.js';
import { ServiceType } from './service-type.js';
import { Staff } from './staff.js';

export * from './common.js';
export * from './text.js';
export * from './transitions.js';
export * from './clinic.js';
export * from './service-type.js';
export * from './staff.js';
export * from './schedule.js';
export * from './patient.js';
export * from './appointment.js';
export * from './queue-entry.js';
export * from './invitation.js';
export * from './tenant.js';
export * from './available-slot.js';
export * from './waitlist-entry.js';
export * from './wait-estimate.js';
export * from './queue-summary.js';
export * from './queue-event.js';
export * from './audit-trail-entry.js';
export * from './audit-report.js';

/**
 * Every aggregate schema, keyed by name: what the logger reads PHI tags from.
 *
 * @example
 * ```ts
 * taggedFieldNames(Object.values(modelSchemas));
 * ```
 */
export const modelSchemas = {
  Clinic,
  ServiceType,
  Staff,
  Schedule,
  Patient,
  Appointment,
  QueueEntry,
  Invitation,
} as const;
