import type { QueueService } from './queue-service.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';

/** A waiting patient stepping away and back, leaving unseen, or withdrawing. */
export function awayAndReturnUseCases({
  statusChangeMethod,
}: QueueUseCaseContext): Pick<QueueService, 'stepAway' | 'returnToLine' | 'leave' | 'cancel'> {
  return {
    stepAway: statusChangeMethod({ operation: 'stepAway', to: 'away', type: 'away' }),
    returnToLine: statusChangeMethod({
      operation: 'returnToLine',
      to: 'waiting',
      type: 'returned',
    }),
    leave: statusChangeMethod({ operation: 'leave', to: 'left', type: 'left' }),
    cancel: statusChangeMethod({ operation: 'cancel', to: 'cancelled', type: 'cancelled' }),
  };
}
