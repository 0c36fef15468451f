import type { Clock } from '@carequeue/core';
import { freezeSqlClock, type SqlExecutor } from '@carequeue/core/sql';

/**
 * `executor`, with the SQL clock frozen at `clock.now()` before every transaction it opens.
 * Definer functions and write functions act at the SQL clock for end-user roles (they ignore the
 * time the caller passes), so a test that drives time with a fake clock hands its units of work
 * this executor to keep both clocks on the same instant.
 */
export function sqlClockFollowing(executor: SqlExecutor, clock: Clock): SqlExecutor {
  return {
    query: (text, params) => executor.query(text, params),
    exec: (script) => executor.exec(script),
    queryBeforeCommit: (text, params, options) => executor.queryBeforeCommit(text, params, options),
    queryCount: () => executor.queryCount(),
    async transaction(fn) {
      await freezeSqlClock(executor, clock.now());
      return executor.transaction(fn);
    },
  };
}
