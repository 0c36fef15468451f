import { ValidationError } from '../errors.js';
import type { SqlExecutor } from './executor.js';

/**
 * Freezes the SQL clock (`public.carequeue_now()`, from core's migration 0003) at `instant`, so
 * SQL that end-user roles call reads the same time as a test's fake clock. Only the owner (the
 * migrating role) and `service_role` may do this: run it on the pool itself or under
 * `asServiceRole`; under `withClaims` the database refuses it. Never freeze it in production.
 *
 * @param instant epoch milliseconds (as `Clock.now()` returns) or a `Date`.
 * @throws `ValidationError` naming the argument when `instant` is not a valid instant;
 *   `SqlPermissionDeniedError` when the executor runs as a role that may not set the clock.
 * @example
 * ```ts
 * const clock = createFakeClock(new Date('2026-03-02T08:00:00Z'));
 * await freezeSqlClock(sql, clock.now());
 * ```
 */
export async function freezeSqlClock(executor: SqlExecutor, instant: number | Date): Promise<void> {
  const epochMs = instant instanceof Date ? instant.getTime() : instant;
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) {
    throw new ValidationError(
      'The instant of freezeSqlClock is invalid. Pass epoch milliseconds or a valid Date.',
      [{ path: 'instant', message: 'must be a finite number of milliseconds or a valid Date' }],
    );
  }
  await executor.query(
    `INSERT INTO carequeue.sql_clock (singleton, frozen_at) VALUES (true, $1)
     ON CONFLICT (singleton) DO UPDATE SET frozen_at = excluded.frozen_at`,
    [new Date(epochMs)],
  );
}

/**
 * Lets the SQL clock follow the database's time again after {@link freezeSqlClock}.
 *
 * @throws `SqlPermissionDeniedError` when the executor runs as a role that may not set the clock.
 * @example
 * ```ts
 * afterEach(() => releaseSqlClock(sql));
 * ```
 */
export async function releaseSqlClock(executor: SqlExecutor): Promise<void> {
  await executor.query('DELETE FROM carequeue.sql_clock');
}
