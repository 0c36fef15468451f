/**
 * `@carequeue/queue`.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './pagination.js';
export * from './notifications/notifier.js';
export * from './notifications/notification-delivery-error.js';
export * from './notifications/notification-templates.js';
export * from './notifications/resilient-notifier.js';
export * from './notifications/ports/opt-out-store.js';
export * from './notifications/opt-out-address.js';
export * from './notifications/memory/opt-out-store.js';
export * from './notifications/inbound-sms.js';
export * from './notifications/ports/notification-outbox.js';
export * from './notifications/outbox-payload.js';
export {
  NOTIFICATION_DEAD_LETTER_KIND,
  type DispatchReport,
  type OutboxDispatcher,
} from './notifications/dispatch-outbox.js';
export * from './jobs/index.js';
export * from './realtime/index.js';
export {
  authorizePatient,
  createPatientService,
  identifyingCriteria,
  memoryPatientRepository,
  memoryPatientUnitOfWork,
  type ConsentFlags,
  type MemoryPatientRepositoryOptions,
  type MemoryPatientUnitOfWorkOptions,
  type NewPatient,
  type PatientChanges,
  type PatientProfile,
  type PatientRepository,
  type PatientSearchCriteria,
  type PatientService,
  type PatientServiceOptions,
  type PatientUnitOfWork,
  type PatientWorkScope,
  type StoredPatient,
} from './patients/index.js';
export {
  createStaffInvitationService,
  DEFAULT_INVITATION_TTL_MS,
  hashInvitationToken,
  memoryInvitationRepository,
  memoryInvitationUnitOfWork,
  newInvitationToken,
  type InvitationAcceptor,
  type InvitationRepository,
  type InvitationUnitOfWork,
  type InvitationWorkScope,
  type InviteRequest,
  type IssuedInvitation,
  type MemoryInvitationUnitOfWorkOptions,
  type StaffInvitationService,
  type StaffInvitationServiceOptions,
} from './invitations/index.js';
export {
  createClinicService,
  memoryClinicRepository,
  memoryClinicUnitOfWork,
  memoryServiceTypeRepository,
  type ClinicChanges,
  type ClinicRepository,
  type ClinicService,
  type ClinicServiceOptions,
  type ClinicUnitOfWork,
  type ClinicWorkScope,
  type MemoryClinicUnitOfWorkOptions,
  type NewClinic,
  type NewServiceType,
  type ServiceTypeChanges,
  type ServiceTypeRepository,
  type StoredClinic,
} from './clinics/index.js';
export * from './estimation/lognormal.js';
export * from './estimation/service-time-tracker.js';
export * from './estimation/wait-time-estimator.js';
export * from './estimation/staffing-plan.js';
export * from './estimation/calibrated-wait-time-estimator.js';
export * from './estimation/steady-wait-estimate.js';
export * from './estimation/wait-time-model.js';
export * from './estimation/http-wait-time-model.js';
export * from './estimation/estimate-recorder.js';
export * from './estimation/wait-time-accuracy.js';
export * from './estimation/memory/estimate-recorder.js';
export * from './estimation/hybrid-wait-time-estimator.js';
export * from './estimation/simulation/seeded-random.js';
export * from './estimation/simulation/clinic-day.js';
export * from './estimation/simulation/clinic-day-scenarios.js';
export * from './estimation/simulation/simulate-clinic-day.js';
export * from './estimation/simulation/evaluate-wait-time-estimators.js';
export * from './estimation/simulation/calibration-report.js';
export {
  createStaffService,
  memoryScheduleRepository,
  memoryStaffRepository,
  memoryStaffUnitOfWork,
  type MemoryStaffUnitOfWorkOptions,
  type NewStaff,
  type ScheduleInput,
  type ScheduleRepository,
  type StaffChanges,
  type StaffRepository,
  type StaffService,
  type StaffServiceOptions,
  type StaffUnitOfWork,
  type StaffWorkScope,
} from './staff/index.js';
export * from './availability/zoned-time.js';
export * from './availability/availability.js';
export type {
  AppointmentIdempotency,
  AppointmentRepository,
  AppointmentSeat,
  BusyAppointment,
  ExpiredHold,
  KeyedAppointment,
  NewAppointment,
  StoredAppointment,
  TimeSpan,
} from './booking/ports/appointment-repository.js';
export * from './booking/appointment-busy-range.js';
export * from './booking/memory/appointment-repository.js';
export type {
  ReopenedWaitlistEntry,
  WaitlistEntry,
  WaitlistRepository,
  WaitlistStatus,
} from './booking/ports/waitlist-repository.js';
export * from './booking/memory/waitlist-repository.js';
export * from './booking/ports/booking-unit-of-work.js';
export * from './booking/memory/booking-unit-of-work.js';
export type { StoredQueueEntry } from './walk-in/queue-entry-record.js';
export { LIVE_QUEUE_STATUSES } from './walk-in/queue-entry-record.js';
export * from './walk-in/ports/queue-event.js';
export type { QueueClaim, QueueEntryRepository } from './walk-in/ports/queue-entry-repository.js';
export {
  memoryQueueEntryRepository,
  type MemoryQueueEntryRepositoryOptions,
} from './walk-in/memory/queue-entry-repository.js';
export * from './walk-in/ports/appointment-arrivals.js';
export * from './walk-in/memory/appointment-arrivals.js';
export * from './walk-in/walk-in-errors.js';
export * from './walk-in/queue-ordering.js';
export * from './walk-in/queue-summary.js';
export * from './walk-in/queue-analytics.js';
export * from './walk-in/ports/walk-in-unit-of-work.js';
export * from './walk-in/memory/walk-in-unit-of-work.js';
export { createQueueService, type QueueService } from './walk-in/queue-service.js';
export type {
  EntryWaitEstimator,
  QueueLine,
  QueueServiceOptions,
} from './walk-in/queue-service-options.js';
export type { QueueEntryView } from './walk-in/queue-entry-view.js';
export type { AppointmentCheckIn, WalkInCheckIn } from './walk-in/check-in.js';
export type { CallNextRequest } from './walk-in/call-next.js';
export type { TransferRequest } from './walk-in/transfer.js';
export type { EntryWaitEstimate } from './walk-in/line-analytics.js';
export * from './booking/booking-service.js';
