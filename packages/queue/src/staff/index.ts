// The staff context as other contexts see it: its ports, its service, its memory adapters, and
// the argument and error rules invitations share with it. Adapters of other contexts reach the
// SQL and Supabase ones through ./postgres/index.ts and ./supabase/index.ts.
export type { StaffRepository } from './ports/staff-repository.js';
export type { ScheduleRepository } from './ports/schedule-repository.js';
export type { StaffUnitOfWork, StaffWorkScope } from './ports/staff-unit-of-work.js';
export {
  createStaffService,
  type NewStaff,
  type ScheduleInput,
  type StaffChanges,
  type StaffService,
  type StaffServiceOptions,
} from './staff-service.js';
export { StaffRolesArgument } from './staff-arguments.js';
export { ClinicNotInTenantError, requireKnownClinics } from './staff-errors.js';
export { memoryStaffRepository } from './memory/staff-repository.js';
export { memoryScheduleRepository } from './memory/schedule-repository.js';
export {
  memoryStaffUnitOfWork,
  type MemoryStaffUnitOfWorkOptions,
} from './memory/staff-unit-of-work.js';
