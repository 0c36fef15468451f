import { z } from 'zod';
import {
  isCarequeueError,
  silentLogger,
  systemClock,
  parseArguments,
  systemIdGenerator,
  type Clock,
  type IdGenerator,
  type Logger,
  type TimerHandle,
  ValidationError,
} from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import type { DeadLetterQueue } from '@carequeue/resilience';
import type {
  JobHandler,
  JobPayload,
  JobRunReport,
  JobScheduler,
  ScheduledJob,
} from '../ports/job-scheduler.js';
import { jobArguments } from '../job-arguments.js';
import type { MaintenanceTask } from '../ports/maintenance-task.js';
import { jobHandlersWithTasks } from '../maintenance-task-handlers.js';
import {
  checkFactoryOptions,
  functionOption,
  loggerOption,
  portOption,
} from '../../config/factory-options.js';

/**
 * Options of {@link createJobScheduler}.
 *
 * @example
 * ```ts
 * const options: JobSchedulerOptions = { executor: sql, handlers: { 'booking.reminder': reminders }, clock };
 * ```
 */
export interface JobSchedulerOptions {
  /** The pool jobs are claimed and run with, as service_role. */
  readonly executor: SqlExecutor;
  /** Handlers by job kind; a scheduler runs only the kinds it has handlers or tasks for. */
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /**
   * Maintenance tasks of other packages by job kind (such as `createAuditSealTask` of
   * `@carequeue/audit` for `MAINTENANCE_JOBS.auditSeal`), each run for the due job's tenant. A
   * kind has a handler or a task, not both.
   */
  readonly tasks?: Readonly<Record<string, MaintenanceTask>>;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default systemIdGenerator */
  readonly ids?: IdGenerator;
  /** @default silentLogger; lines carry job ids, kinds and error codes only */
  readonly logger?: Logger;
  /** Where jobs out of attempts are also parked (payload: the job id). */
  readonly deadLetters?: DeadLetterQueue;
  /** Jobs run per round. @default 20 */
  readonly batchSize?: number;
  /** Pause between rounds that found nothing, for {@link JobScheduler.start}. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Ceiling of the first retry's delay; each retry doubles it (full jitter). @default 5000 */
  readonly retryBaseDelayMs?: number;
  /** @default 600000 */
  readonly retryMaxDelayMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number;
}

interface JobRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly kind: string;
  readonly unique_key: string;
  readonly payload: JobPayload;
  readonly run_at: Date | string;
  readonly attempts: number;
  readonly max_attempts: number;
}

type Outcome = 'succeeded' | 'retried' | 'dead' | 'none';

function errorCode(error: unknown): string {
  return isCarequeueError(error) ? error.code : 'UNEXPECTED_ERROR';
}

const JobSchedulerOptionsSchema = z.object({
  executor: portOption('a SqlExecutor', ['query', 'transaction']),
  handlers: z.record(z.string(), functionOption()),
  tasks: z.record(z.string(), portOption('a MaintenanceTask', ['run'])).optional(),
  clock: portOption('a Clock', ['now', 'setTimeout', 'clearTimeout']).optional(),
  ids: portOption('an IdGenerator', ['next']).optional(),
  logger: loggerOption.optional(),
  deadLetters: portOption('a DeadLetterQueue', ['capture']).optional(),
  batchSize: z.int().min(1).max(1000).optional(),
  pollIntervalMs: z.int().min(1).max(86_400_000).optional(),
  retryBaseDelayMs: z.int().min(0).max(86_400_000).optional(),
  retryMaxDelayMs: z.int().min(0).max(86_400_000).optional(),
  random: functionOption().optional(),
});

/**
 * Creates a job scheduler on `queue.jobs` (Postgres or PGlite). Each due job is claimed with
 * `FOR UPDATE SKIP LOCKED` in its own service_role transaction, its handler runs in a savepoint
 * of that transaction, and the job is marked done in it. So the handler's database effects and
 * the completion commit together: a crash mid-job rolls both back and the job runs again, and a
 * job whose transaction committed never runs twice. A failing handler is rolled back to the
 * savepoint and the job is retried with exponential backoff and full jitter; after
 * `maxAttempts` it is marked dead (and captured as a dead letter when a queue is given).
 * Time comes from the clock, so tests drive it with a fake one.
 *
 * @example
 * ```ts
 * import { NOTIFICATION_JOBS } from '@carequeue/queue';
 * import { bookingNotificationJob, createJobScheduler } from '@carequeue/queue/postgres';
 *
 * const scheduler = createJobScheduler({
 *   executor: sql,
 *   handlers: { [NOTIFICATION_JOBS.bookingReminder]: bookingNotificationJob({ outbox }) },
 * });
 * scheduler.start();
 * ```
 */
export function createJobScheduler(options: JobSchedulerOptions): JobScheduler {
  checkFactoryOptions('createJobScheduler', JobSchedulerOptionsSchema, options);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? systemIdGenerator;
  const logger = (options.logger ?? silentLogger).child({ component: 'job-scheduler' });
  const batchSize = options.batchSize ?? 20;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const baseDelayMs = options.retryBaseDelayMs ?? 5000;
  const maxDelayMs = options.retryMaxDelayMs ?? 600_000;
  const random = options.random ?? Math.random;
  const handlers = jobHandlersWithTasks(options.handlers, options.tasks);
  const kinds = Object.keys(handlers);
  let running = false;
  let timer: TimerHandle | undefined;
  let round: Promise<unknown> = Promise.resolve();

  async function runOne(): Promise<Outcome> {
    let parked: JobRow | undefined;
    let parkedError: unknown;
    const outcome = await asServiceRole(options.executor, async (tx): Promise<Outcome> => {
      const now = clock.now();
      const { rows } = await tx.query<JobRow>(
        `SELECT id, tenant_id, kind, unique_key, payload, run_at, attempts, max_attempts
         FROM queue.jobs
         WHERE status = 'pending' AND run_at <= $1 AND kind = ANY ($2::text[])
         ORDER BY run_at, id
         LIMIT 1
         FOR UPDATE SKIP LOCKED`,
        [new Date(now), kinds],
      );
      const row = rows[0];
      if (row === undefined) return 'none';
      const handler = handlers[row.kind] as JobHandler;
      const job: ScheduledJob = {
        id: row.id,
        tenantId: row.tenant_id,
        kind: row.kind,
        uniqueKey: row.unique_key,
        payload: row.payload,
        runAt: new Date(row.run_at).getTime(),
        attempt: row.attempts + 1,
      };
      try {
        await tx.transaction((savepoint) => handler(job, { tx: savepoint, now }));
      } catch (error: unknown) {
        const code = errorCode(error);
        if (job.attempt >= row.max_attempts) {
          await tx.query(
            `UPDATE queue.jobs SET status = 'dead', attempts = $2, last_error_code = $3, updated_at = $4
             WHERE id = $1`,
            [row.id, job.attempt, code, new Date(now)],
          );
          parked = row;
          parkedError = error;
          logger.warn(
            { jobId: row.id, kind: row.kind, code },
            'job out of attempts, parked as dead',
          );
          return 'dead';
        }
        const delayMs = Math.max(
          1,
          Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** row.attempts)),
        );
        await tx.query(
          `UPDATE queue.jobs SET attempts = $2, last_error_code = $3, run_at = $4, updated_at = $5
           WHERE id = $1`,
          [row.id, job.attempt, code, new Date(now + delayMs), new Date(now)],
        );
        logger.info({ jobId: row.id, kind: row.kind, code, delayMs }, 'job failed, retrying later');
        return 'retried';
      }
      await tx.query(
        `UPDATE queue.jobs SET status = 'done', attempts = $2, last_error_code = NULL,
           completed_at = $3, updated_at = $3
         WHERE id = $1`,
        [row.id, job.attempt, new Date(now)],
      );
      return 'succeeded';
    });
    if (parked !== undefined && options.deadLetters !== undefined) {
      await options.deadLetters.capture({
        kind: `queue.job.${parked.kind}`,
        id: parked.id,
        tenantId: parked.tenant_id,
        payload: { jobId: parked.id },
        error: parkedError,
        attempts: parked.max_attempts,
      });
    }
    return outcome;
  }

  async function runDue(): Promise<JobRunReport> {
    const counts = { succeeded: 0, retried: 0, dead: 0 };
    for (let i = 0; i < batchSize; i += 1) {
      const outcome = await runOne();
      if (outcome === 'none') break;
      counts[outcome] += 1;
    }
    return counts;
  }

  // A background timer: see start().
  function schedule(delayMs: number): void {
    if (!running) return;
    timer = clock.setTimeout(
      () => {
        timer = undefined;
        round = runDue().then(
          (report) => {
            const ran = report.succeeded + report.retried + report.dead;
            schedule(ran >= batchSize ? 0 : pollIntervalMs);
          },
          (error: unknown) => {
            logger.error({ code: errorCode(error) }, 'job round failed');
            schedule(pollIntervalMs);
          },
        );
      },
      delayMs,
      { background: true },
    );
  }

  return {
    async schedule(tx, job) {
      parseArguments(jobArguments.schedule, { tx, job }, 'JobScheduler.schedule');
      const maxAttempts = job.maxAttempts ?? 5;
      const id = ids.next();
      const now = new Date(clock.now());
      // queue.schedule_job (migration 0011) checks what an end user may schedule, takes the
      // time from the SQL clock for them, and skips a unique key that exists already.
      const answer: unknown = await tx.query<{ inserted: boolean }>(
        'SELECT queue.schedule_job($1, $2, $3, $4, $5, $6, $7, $8) AS inserted',
        [
          id,
          job.tenantId,
          job.kind,
          job.uniqueKey,
          JSON.stringify(job.payload ?? {}),
          new Date(job.runAt),
          maxAttempts,
          now,
        ],
      );
      // `tx` is the caller's: an object whose query answers something else is refused, not read.
      const rows = (answer as { rows?: unknown } | null | undefined)?.rows;
      if (!Array.isArray(rows)) {
        throw new ValidationError('The transaction given to JobScheduler.schedule is not usable.', [
          {
            path: 'tx',
            message: 'must be a SqlExecutor whose query resolves to a result with rows',
          },
        ]);
      }
      return (rows[0] as { inserted?: unknown } | undefined)?.inserted === true ? id : undefined;
    },
    async cancel(tenantId, uniqueKey) {
      parseArguments(jobArguments.cancel, { tenantId, uniqueKey }, 'JobScheduler.cancel');
      const { rowCount } = await asServiceRole(options.executor, (tx) =>
        tx.query(
          `UPDATE queue.jobs SET status = 'cancelled', updated_at = $3
           WHERE tenant_id = $1 AND unique_key = $2 AND status = 'pending'`,
          [tenantId, uniqueKey, new Date(clock.now())],
        ),
      );
      return rowCount > 0;
    },
    runDue,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await round;
    },
    async retryDead(kind) {
      parseArguments(jobArguments.retryDead, { kind }, 'JobScheduler.retryDead');
      const now = new Date(clock.now());
      const { rowCount } = await asServiceRole(options.executor, (tx) =>
        tx.query(
          `UPDATE queue.jobs SET status = 'pending', attempts = 0, run_at = $1, updated_at = $1
           WHERE status = 'dead' AND ($2::text IS NULL OR kind = $2)`,
          [now, kind ?? null],
        ),
      );
      return rowCount;
    },
  };
}
