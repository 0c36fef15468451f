// The booking context as other contexts see it: its ports, its service, the busy-range rule and
// its memory adapters. Adapters of other contexts reach the SQL ones through
// ./postgres/index.ts.
export type {
  AppointmentRepository,
  BusyAppointment,
  StoredAppointment,
} from './ports/appointment-repository.js';
export type { WaitlistRepository } from './ports/waitlist-repository.js';
export type { BookingUnitOfWork, BookingWorkScope } from './ports/booking-unit-of-work.js';
export {
  appointmentBusyRange,
  appointmentsConflict,
  occupiesSlot,
} from './appointment-busy-range.js';
export {
  createBookingService,
  type BookingService,
  type BookingServiceOptions,
} from './booking-service.js';
export { memoryAppointmentRepository } from './memory/appointment-repository.js';
export { memoryWaitlistRepository } from './memory/waitlist-repository.js';
export {
  memoryBookingUnitOfWork,
  type MemoryBookingUnitOfWorkOptions,
} from './memory/booking-unit-of-work.js';
