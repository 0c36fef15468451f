// The clinics context as other contexts see it: its ports, its service, and its memory adapters.
// Adapters of other contexts reach the SQL ones through ./postgres/index.ts.
export type { ClinicRepository, StoredClinic } from './ports/clinic-repository.js';
export type { ServiceTypeRepository } from './ports/service-type-repository.js';
export type { ClinicUnitOfWork, ClinicWorkScope } from './ports/clinic-unit-of-work.js';
export {
  createClinicService,
  type ClinicChanges,
  type ClinicService,
  type ClinicServiceOptions,
  type NewClinic,
  type NewServiceType,
  type ServiceTypeChanges,
} from './clinic-service.js';
export { memoryClinicRepository } from './memory/clinic-repository.js';
export { memoryServiceTypeRepository } from './memory/service-type-repository.js';
export {
  memoryClinicUnitOfWork,
  type MemoryClinicUnitOfWorkOptions,
} from './memory/clinic-unit-of-work.js';
export { requireTenantClinics } from './memory/clinic-references.js';
export { memoryClinicsInTenant } from './memory/clinics-in-tenant.js';
