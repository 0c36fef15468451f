/**
 * The port of a maintenance task another package owns, such as `createAuditSealTask` of
 * `@carequeue/audit`: work done for one tenant, which the job scheduler runs when a job of its
 * kind is due (option `tasks` of `createJobScheduler`). The job's payload is not passed on, only
 * its tenant.
 *
 * A task works through its own connections, outside the job's transaction, and the job is marked
 * done after it resolves; a crash in between runs it again. So a task must be idempotent: a
 * second run does only what the first left undone. Reject to have the job retried with backoff.
 *
 * @example
 * ```ts
 * const refreshStatistics: MaintenanceTask = {
 *   run: async (tenantId) => { await statistics.refresh(tenantId); },
 * };
 * ```
 */
export interface MaintenanceTask {
  /** Does the task's work for the tenant; resolves when done (its value is not used). */
  run(tenantId: string): Promise<unknown>;
}
