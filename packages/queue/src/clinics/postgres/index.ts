// The SQL adapters of the clinics context, for the ./postgres entry and other contexts' SQL
// adapters (a booking or staff unit of work reads clinics in its own transaction).
export { sqlClinicRepository, type SqlClinicRepositoryOptions } from './clinic-repository.js';
export {
  sqlServiceTypeRepository,
  type SqlServiceTypeRepositoryOptions,
} from './service-type-repository.js';
export { sqlClinicUnitOfWork, type SqlClinicUnitOfWorkOptions } from './clinic-unit-of-work.js';
export { sqlClinicsInTenant } from './clinics-in-tenant.js';
