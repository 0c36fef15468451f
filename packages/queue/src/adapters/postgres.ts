/**
 * `@carequeue/queue/postgres`: the SQL migrations and the repositories over core's `SqlExecutor`,
 * for Postgres 15+, Supabase and PGlite.
 *
 * @packageDocumentation
 */
export { queueMigrations } from '../queue-migrations.js';
export {
  notifyingBookingUnitOfWork,
  type NotifyingBookingUnitOfWorkOptions,
} from '../jobs/postgres/notifying-booking-unit-of-work.js';
export {
  sqlPatientRepository,
  type SqlPatientRepositoryOptions,
} from '../patients/postgres/patient-repository.js';
export {
  sqlStaffRepository,
  type SqlStaffRepositoryOptions,
} from '../staff/postgres/staff-repository.js';
export {
  sqlPatientUnitOfWork,
  type SqlPatientUnitOfWorkOptions,
} from '../patients/postgres/patient-unit-of-work.js';
export {
  sqlClinicRepository,
  type SqlClinicRepositoryOptions,
} from '../clinics/postgres/clinic-repository.js';
export {
  sqlServiceTypeRepository,
  type SqlServiceTypeRepositoryOptions,
} from '../clinics/postgres/service-type-repository.js';
export {
  sqlClinicUnitOfWork,
  type SqlClinicUnitOfWorkOptions,
} from '../clinics/postgres/clinic-unit-of-work.js';
export {
  sqlScheduleRepository,
  type SqlScheduleRepositoryOptions,
} from '../staff/postgres/schedule-repository.js';
export {
  sqlStaffUnitOfWork,
  type SqlStaffUnitOfWorkOptions,
} from '../staff/postgres/staff-unit-of-work.js';
export {
  sqlInvitationRepository,
  type SqlInvitationRepositoryOptions,
} from '../invitations/postgres/invitation-repository.js';
export {
  sqlInvitationUnitOfWork,
  type SqlInvitationUnitOfWorkOptions,
} from '../invitations/postgres/invitation-unit-of-work.js';
export {
  sqlAppointmentRepository,
  type SqlAppointmentRepositoryOptions,
} from '../booking/postgres/appointment-repository.js';
export {
  sqlWaitlistRepository,
  type SqlWaitlistRepositoryOptions,
} from '../booking/postgres/waitlist-repository.js';
export {
  sqlBookingUnitOfWork,
  type SqlBookingUnitOfWorkOptions,
} from '../booking/postgres/booking-unit-of-work.js';
export {
  sqlQueueEntryRepository,
  type SqlQueueEntryRepositoryOptions,
} from '../walk-in/postgres/queue-entry-repository.js';
export { sqlAppointmentArrivals } from '../walk-in/postgres/appointment-arrivals.js';
export {
  sqlWalkInUnitOfWork,
  type SqlWalkInUnitOfWorkOptions,
} from '../walk-in/postgres/walk-in-unit-of-work.js';
