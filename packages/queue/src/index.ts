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
export type { StaffRepository } from './staff/staff-repository.js';
export { memoryStaffRepository } from './staff/memory-staff-repository.js';
