// The SQL adapters of the booking context, for the ./postgres entry and other contexts' SQL
// adapters (jobs wraps the booking unit of work to enqueue notifications in its transaction).
export {
  sqlAppointmentRepository,
  type SqlAppointmentRepositoryOptions,
} from './appointment-repository.js';
export { sqlWaitlistRepository, type SqlWaitlistRepositoryOptions } from './waitlist-repository.js';
export { sqlBookingUnitOfWork, type SqlBookingUnitOfWorkOptions } from './booking-unit-of-work.js';
