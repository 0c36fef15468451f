// The patients context as other contexts see it: its ports, its service, its rules and its
// memory adapters.
export type { PatientRepository, StoredPatient } from './ports/patient-repository.js';
export type { PatientUnitOfWork, PatientWorkScope } from './ports/patient-unit-of-work.js';
export {
  createPatientService,
  type ConsentFlags,
  type NewPatient,
  type PatientChanges,
  type PatientProfile,
  type PatientService,
  type PatientServiceOptions,
} from './patient-service.js';
export { identifyingCriteria, type PatientSearchCriteria } from './patient-search.js';
export { authorizePatient } from './patient-access.js';
export {
  memoryPatientRepository,
  type MemoryPatientRepositoryOptions,
} from './memory/patient-repository.js';
export {
  memoryPatientUnitOfWork,
  type MemoryPatientUnitOfWorkOptions,
} from './memory/patient-unit-of-work.js';
export { requireTenantPatient } from './memory/patient-references.js';
