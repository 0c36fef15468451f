// The walk-in queue as other contexts see it: its ports (the queue events realtime and jobs
// consume among them), its service, its record rules and its memory adapters.
export type { QueueClaim, QueueEntryRepository } from './ports/queue-entry-repository.js';
export {
  QUEUE_EVENT_TYPES,
  type PendingQueueEvent,
  type QueueEvent,
  type QueueEventSink,
  type QueueEventTransaction,
  type QueueEventType,
} from './ports/queue-event.js';
export type { AppointmentArrivals, ArrivingAppointment } from './ports/appointment-arrivals.js';
export type { WalkInUnitOfWork, WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
export { LIVE_QUEUE_STATUSES, type StoredQueueEntry } from './queue-entry-record.js';
export { createQueueService, type QueueService } from './queue-service.js';
export type { QueueServiceOptions } from './queue-service-options.js';
export {
  memoryQueueEntryRepository,
  type MemoryQueueEntryRepositoryOptions,
} from './memory/queue-entry-repository.js';
export { memoryAppointmentArrivals } from './memory/appointment-arrivals.js';
export {
  memoryWalkInUnitOfWork,
  type MemoryWalkInUnitOfWorkOptions,
} from './memory/walk-in-unit-of-work.js';
