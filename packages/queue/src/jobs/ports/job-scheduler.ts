import type { SqlExecutor } from '@carequeue/core/sql';

/**
 * Values a job payload may hold: ids, numbers and flags, never a name or contact detail (the
 * payload is stored in clear and shown to operators).
 *
 * @example
 * ```ts
 * const payload: JobPayload = { appointmentId, clinicId };
 * ```
 */
export type JobPayload = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A job to run later.
 *
 * @example
 * ```ts
 * const job: NewJob = {
 *   tenantId,
 *   kind: 'booking.reminder',
 *   uniqueKey: `booking.reminder:${appointmentId}`,
 *   runAt: Date.parse(appointment.start) - 24 * 3_600_000,
 *   payload: { appointmentId },
 * };
 * ```
 */
export interface NewJob {
  readonly tenantId: string;
  /** Which registered handler runs it. */
  readonly kind: string;
  /** Makes scheduling idempotent per tenant: a second job with the same key is dropped. */
  readonly uniqueKey: string;
  /** Not before this time. */
  readonly runAt: number;
  readonly payload?: JobPayload;
  /** Attempts before the job is parked as dead. @default 5 */
  readonly maxAttempts?: number;
}

/**
 * A job as its handler sees it.
 *
 * @example
 * ```ts
 * const handler: JobHandler = async (job, { tx }) => {
 *   await outbox.enqueue(tx, await reminderFor(tx, job.tenantId, String(job.payload.appointmentId)));
 * };
 * ```
 */
export interface ScheduledJob {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly uniqueKey: string;
  readonly payload: JobPayload;
  readonly runAt: number;
  /** Attempts including this one. */
  readonly attempt: number;
}

/**
 * What a handler gets besides the job: the service_role transaction that also marks the job
 * done, so database effects of the handler (an outbox row, a status change) commit exactly once
 * with it, and the scheduler's clock.
 *
 * @example
 * ```ts
 * const handler: JobHandler = async (job, { tx, now }) => {
 *   await tx.query('UPDATE queue.appointments SET status = $1 WHERE id = $2', ['cancelled', job.payload.appointmentId]);
 * };
 * ```
 */
export interface JobContext {
  readonly tx: SqlExecutor;
  /** Clock time when the job was claimed. */
  readonly now: number;
}

/**
 * Runs one job. Resolve when done; reject to retry it with backoff (or park it when out of attempts).
 * Database work belongs in `context.tx`; a handler that opens transactions of its own (such as a
 * service call) needs a pool with a second connection, so it cannot run on a single PGlite.
 *
 * @example
 * ```ts
 * const sealAudit: JobHandler = async (job) => { await auditStore.seal(job.tenantId); };
 * ```
 */
export type JobHandler = (job: ScheduledJob, context: JobContext) => Promise<void>;

/**
 * What one {@link JobScheduler.runDue} round did.
 *
 * @example
 * ```ts
 * const { succeeded, retried, dead }: JobRunReport = await scheduler.runDue();
 * ```
 */
export interface JobRunReport {
  readonly succeeded: number;
  readonly retried: number;
  readonly dead: number;
}

/**
 * The durable job scheduler.
 *
 * @example
 * ```ts
 * await scheduler.schedule(tx, { tenantId, kind: 'booking.no-show', uniqueKey: `no-show:${id}`, runAt, payload: { clinicId } });
 * scheduler.start();
 * ```
 */
export interface JobScheduler {
  /**
   * Inserts a job with `tx`, the transaction of the change it belongs to. Under end-user claims
   * the job must concern an appointment the user can reach (`payload.appointmentId`, also the
   * end of the unique key) or, for clinic staff, their clinic (`payload.clinicId`); workers
   * schedule anything. Resolves to its id, or `undefined` when a job with the same unique key
   * exists.
   *
   * @throws ValidationError naming the field, before anything is written, when the tenant id is
   * not a UUID, the kind (1-100) or unique key (1-200) is empty, too long or not one line,
   * `runAt` is not an instant before 2200, the payload has more than 50 fields, a NUL character
   * or a value that is not a string, number, boolean or null, or `maxAttempts` is not 1 to 100.
   * `SqlPermissionDeniedError` when the claims of `tx` may not schedule this job.
   */
  schedule(tx: SqlExecutor, job: NewJob): Promise<string | undefined>;
  /**
   * Cancels a pending job by its unique key (as service_role); resolves whether one was cancelled.
   *
   * @throws ValidationError when the tenant id is not a UUID or the unique key is not 1-200
   * characters on one line.
   */
  cancel(tenantId: string, uniqueKey: string): Promise<boolean>;
  /** Runs up to `batchSize` due jobs, one transaction each. */
  runDue(): Promise<JobRunReport>;
  /**
   * Runs rounds until {@link JobScheduler.stop}: back to back while jobs are due, else every
   * `pollIntervalMs`. The wait between rounds does not keep a Node process alive; the host
   * (a server, or a worker awaiting its shutdown signal) does.
   */
  start(): void;
  /** Stops after the current round. */
  stop(): Promise<void>;
  /** Puts dead jobs (of one kind, or all) back to pending, due now; resolves how many. */
  retryDead(kind?: string): Promise<number>;
}
