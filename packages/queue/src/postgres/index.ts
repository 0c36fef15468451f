/**
 * `@carequeue/queue/postgres`: everything that runs SQL, for Postgres 15+, Supabase's database and
 * PGlite: the migrations, the repositories and units of work over core's `SqlExecutor`, the job
 * scheduler and the notification jobs, the opt-out store, the notification outbox and its
 * dispatcher, and the LISTEN/NOTIFY event bus.
 *
 * @packageDocumentation
 */
export { queueMigrations } from '../queue-migrations.js';
export type { SqlRepositoryOptions, SqlUnitOfWorkOptions } from './sql-adapter-options.js';
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
export { createJobScheduler, type JobSchedulerOptions } from '../jobs/postgres/job-scheduler.js';
export {
  bookingNotificationJob,
  queueNotificationJob,
} from '../jobs/postgres/notification-jobs.js';
export type {
  BookingNotificationJobOptions,
  PatientLocaleLookup,
  QueueNotificationJobOptions,
} from '../jobs/notification-jobs.js';
export {
  sqlOptOutStore,
  type SqlOptOutStoreOptions,
} from '../notifications/postgres/opt-out-store.js';
export {
  createNotificationOutbox,
  type NotificationOutboxOptions,
} from '../notifications/postgres/notification-outbox.js';
export {
  createOutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../notifications/postgres/outbox-dispatcher.js';
export * from '../realtime/postgres/event-bus.js';
