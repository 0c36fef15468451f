import type { AuditLogService } from '@carequeue/audit';
import type { Clock, ServiceType } from '@carequeue/core';
import type { Idempotency } from '@carequeue/resilience';
import type { BookingUnitOfWork } from './ports/booking-unit-of-work.js';

/**
 * What every booking use case is given: the ports of `BookingServiceOptions`, with the settings
 * resolved to their defaults and in milliseconds.
 */
export interface BookingDependencies {
  readonly unitOfWork: BookingUnitOfWork;
  readonly audit: AuditLogService;
  readonly clock: Clock;
  readonly idempotency: Idempotency;
  /** How long a pending hold occupies its slot unless confirmed. */
  readonly holdMs: number;
  /** Seats per session of a service type (1: not a group session). */
  readonly seatCapacity: (serviceType: ServiceType) => number;
  /** Receives failures of work done after a change committed. */
  readonly reportBackgroundError: (error: unknown) => void;
}
