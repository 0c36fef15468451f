// The jobs context as other contexts see it: the scheduler port and its job shapes, the job kinds
// and the handlers that need no SQL. The SQL scheduler and the notification jobs are
// adapters, exported by the `./postgres` entry.
export type {
  JobContext,
  JobHandler,
  JobPayload,
  JobRunReport,
  JobScheduler,
  NewJob,
  ScheduledJob,
} from './ports/job-scheduler.js';
export { NOTIFICATION_JOBS, type YoureNextRule } from './notification-jobs.js';
export {
  queueNotificationSink,
  type QueueNotificationSinkOptions,
} from './queue-notification-sink.js';
export * from './maintenance-jobs.js';
export type { MaintenanceTask } from './ports/maintenance-task.js';
