/**
 * `@carequeue/queue`.
 *
 * @packageDocumentation
 */
export { isCarequeueError } from '@carequeue/core';
export * from './errors.js';
export * from './pagination.js';
export type { PatientRepository, StoredPatient } from './patients/patient-repository.js';
export { memoryPatientRepository } from './patients/memory-patient-repository.js';
export { identifyingCriteria, type PatientSearchCriteria } from './patients/patient-search.js';
export { authorizePatient } from './patients/patient-access.js';
export {
  memoryPatientUnitOfWork,
  type MemoryPatientUnitOfWorkOptions,
  type PatientUnitOfWork,
  type PatientWorkScope,
} from './patients/patient-unit-of-work.js';
export {
  createPatientService,
  type ConsentFlags,
  type NewPatient,
  type PatientChanges,
  type PatientProfile,
  type PatientService,
  type PatientServiceOptions,
} from './patients/patient-service.js';
export type { StaffRepository } from './staff/staff-repository.js';
export { memoryStaffRepository } from './staff/memory-staff-repository.js';
export type { InvitationRepository } from './invitations/invitation-repository.js';
export { memoryInvitationRepository } from './invitations/memory-invitation-repository.js';
export { hashInvitationToken, newInvitationToken } from './invitations/invitation-token.js';
export {
  createStaffInvitationService,
  DEFAULT_INVITATION_TTL_MS,
  type InvitationAcceptor,
  type InviteRequest,
  type IssuedInvitation,
  type StaffInvitationService,
  type StaffInvitationServiceOptions,
} from './invitations/staff-invitation-service.js';
