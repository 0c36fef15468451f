/**
 * `@carequeue/queue/testing`: the repository contract suites every adapter runs.
 *
 * @packageDocumentation
 */
export type { ContractExpect, ContractFixtures, ContractRunner } from './contract-types.js';
export {
  runPatientRepositoryContract,
  samplePatient,
  type PatientRepositoryContractOptions,
} from './patient-repository-contract.js';
export {
  runStaffRepositoryContract,
  sampleStaff,
  type StaffRepositoryContractOptions,
} from './staff-repository-contract.js';
export {
  runClinicRepositoryContract,
  sampleClinic,
  type ClinicRepositoryContractOptions,
} from './clinic-repository-contract.js';
export {
  runServiceTypeRepositoryContract,
  sampleServiceType,
  type ServiceTypeRepositoryContractOptions,
} from './service-type-repository-contract.js';
export {
  runScheduleRepositoryContract,
  sampleSchedule,
  type ScheduleContractFixtures,
  type ScheduleRepositoryContractOptions,
} from './schedule-repository-contract.js';
export {
  runInvitationRepositoryContract,
  sampleInvitation,
  type InvitationRepositoryContractOptions,
} from './invitation-repository-contract.js';
export {
  runQueueEntryRepositoryContract,
  sampleQueueEntry,
  type QueueEntryRepositoryContractOptions,
} from './queue-entry-repository-contract.js';
