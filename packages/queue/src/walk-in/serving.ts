import type { QueueService } from './queue-service.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';

/**
 * Serving a called patient: service starts at the counter and completes. The completed
 * service's duration reaches the service-time tracker once the change has committed.
 */
export function servingUseCases({
  statusChangeMethod,
}: QueueUseCaseContext): Pick<QueueService, 'startService' | 'complete'> {
  return {
    startService: statusChangeMethod({
      operation: 'startService',
      to: 'in_service',
      type: 'service_started',
      reshape: (current, now) => ({ ...current, serviceStartedAt: now }),
    }),
    complete: statusChangeMethod({ operation: 'complete', to: 'completed', type: 'completed' }),
  };
}
