// The SQL adapters of the staff context, for the ./postgres entry and other contexts' SQL
// adapters (booking reads schedules, invitations write staff, in their own transactions).
export { sqlStaffRepository, type SqlStaffRepositoryOptions } from './staff-repository.js';
export { sqlScheduleRepository, type SqlScheduleRepositoryOptions } from './schedule-repository.js';
export { sqlStaffUnitOfWork, type SqlStaffUnitOfWorkOptions } from './staff-unit-of-work.js';
