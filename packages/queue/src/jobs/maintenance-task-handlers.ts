import { QueueConfigError } from '../config/queue-config-error.js';
import type { JobHandler } from './ports/job-scheduler.js';
import type { MaintenanceTask } from './ports/maintenance-task.js';

/**
 * The scheduler's handlers by job kind: `handlers` as given, and each task as a handler that runs
 * it for the job's tenant.
 *
 * @internal
 * @throws {@link QueueConfigError} when a kind has both a handler and a task, so which one runs
 * is never left to the order of the options.
 * @example
 * ```ts
 * const all = jobHandlersWithTasks(options.handlers, options.tasks);
 * ```
 */
export function jobHandlersWithTasks(
  handlers: Readonly<Record<string, JobHandler>>,
  tasks: Readonly<Record<string, MaintenanceTask>> = {},
): Readonly<Record<string, JobHandler>> {
  const both = Object.keys(tasks).filter((kind) => Object.hasOwn(handlers, kind));
  if (both.length > 0) {
    throw new QueueConfigError(
      `createJobScheduler: options.tasks and options.handlers both have the job kind${both.length > 1 ? 's' : ''} ${both.join(', ')}; give each kind a handler or a task, not both.`,
    );
  }
  const taskHandlers = Object.entries(tasks).map(([kind, task]): [string, JobHandler] => [
    kind,
    async (job) => {
      await task.run(job.tenantId);
    },
  ]);
  return { ...handlers, ...Object.fromEntries(taskHandlers) };
}
