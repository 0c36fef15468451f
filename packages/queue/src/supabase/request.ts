import { sqlStateOf, toSqlError } from '@carequeue/core/sql';
import { QueueSupabaseRequestError } from '../adapter-errors.js';

/** The part of a supabase-js reply the repositories read. */
export interface PostgrestReply<T> {
  readonly data: T | null;
  readonly error: { readonly code?: string | null } | null;
}

/**
 * Awaits a supabase-js query, which resolves instead of throwing, and turns its error into a
 * typed one: a database SQLSTATE becomes the same error the SQL repositories throw (unique,
 * foreign key, permission, ...), anything else a {@link QueueSupabaseRequestError}.
 *
 * @throws the error of `toSqlError` (core) for a SQLSTATE, else {@link QueueSupabaseRequestError}.
 * @example
 * ```ts
 * const rows = await postgrest('staff.get', () => db.from('staff').select('*').eq('id', id));
 * ```
 */
export async function postgrest<T>(
  operation: string,
  run: () => PromiseLike<PostgrestReply<T>>,
): Promise<T | null> {
  const reply = await run();
  if (reply.error) {
    if (sqlStateOf(reply.error) !== undefined) throw toSqlError(reply.error);
    throw new QueueSupabaseRequestError(operation, reply.error.code || null, {
      cause: reply.error,
    });
  }
  return reply.data;
}
