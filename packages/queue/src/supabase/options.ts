import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { portOption } from '../config/factory-options.js';

/** A supabase-js client option: only the shape the repositories call is checked. */
export const SupabaseClientOption = portOption('a SupabaseClient', ['schema']);

/** The schema of {@link SupabaseRepositoryOptions}, checked by every Supabase repository. */
export const SupabaseRepositoryOptionsSchema = z.object({
  client: SupabaseClientOption,
  schema: z.string().min(1).max(63).optional(),
});

/**
 * Options of every Supabase repository of `@carequeue/queue/supabase`.
 *
 * @example
 * ```ts
 * const options: SupabaseRepositoryOptions = { client: createClient(url, anonKey, { global: { headers: { Authorization: `Bearer ${jwt}` } } }) };
 * ```
 */
export interface SupabaseRepositoryOptions {
  /**
   * A supabase-js client. Requests run under its JWT's role and claims, so row-level security
   * applies: use the signed-in user's token for requests, the service role key for workers and
   * invitation acceptance.
   */
  readonly client: SupabaseClient;
  /**
   * The schema of the queue migrations; it must be listed in PostgREST's exposed schemas.
   *
   * @default 'queue'
   */
  readonly schema?: string;
}

/**
 * The PostgREST handle of the queue schema for a repository's options.
 *
 * @example
 * ```ts
 * const db = queueSchema(options);
 * ```
 */
export function queueSchema(
  options: SupabaseRepositoryOptions,
): ReturnType<SupabaseClient['schema']> {
  return options.client.schema(options.schema ?? 'queue');
}
