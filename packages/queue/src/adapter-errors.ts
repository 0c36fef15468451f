// Error classes the Supabase adapters throw, declared outside `supabase/` so the public errors map
// (and a host catching them from the root entry) never loads adapter code.
import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * A request of a Supabase repository failed for a reason other than the data: PostgREST refused
 * it (for example the `queue` schema is not exposed, or migration 0006 did not run) or could not
 * be reached. The message names the operation and PostgREST's code, never a row value; the
 * PostgREST error is kept as `cause`.
 *
 * @example
 * ```ts
 * import { QueueSupabaseRequestError } from '@carequeue/queue';
 *
 * new QueueSupabaseRequestError('staff.list', 'PGRST106').status; // 503
 * ```
 */
export class QueueSupabaseRequestError extends CarequeueError {
  /** PostgREST's error code, or null when the response carried none (network failure). */
  readonly postgrestCode: string | null;

  constructor(operation: string, postgrestCode: string | null, options?: CarequeueErrorOptions) {
    super(
      'QUEUE_SUPABASE_REQUEST_FAILED',
      503,
      `[queue:supabase] ${operation} failed (PostgREST code ${postgrestCode ?? 'none'}). Check that the queue schema is in PostgREST's exposed schemas and the queue migrations (0006 included) ran; the cause has the PostgREST error.`,
      options,
    );
    this.postgrestCode = postgrestCode;
  }
}
