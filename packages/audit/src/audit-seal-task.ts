import { checkArguments, integerIssues, portIssues, uuidIssues } from './argument-checks.js';
import type { AuditStore } from './audit-store.js';
import { MAX_SEAL_LIMIT } from './adapters/store-arguments.js';
import { checkFactoryOptions, optionsIssues } from './factory-options.js';

/**
 * Options of {@link createAuditSealTask}.
 *
 * @example
 * ```ts
 * const options: AuditSealTaskOptions = { store: postgresAuditStore({ executor }), batchSize: 1000 };
 * ```
 */
export interface AuditSealTaskOptions {
  /** The store whose tenant chains are sealed: any `AuditStore` (only `seal` is called). */
  readonly store: Pick<AuditStore, 'seal'>;
  /** Events sealed per `seal` call, from 1 to 100000. @default 1000 */
  readonly batchSize?: number;
}

/**
 * Seals a tenant's audit chain on demand, for a host's scheduler to run (such as the job
 * scheduler of `@carequeue/queue`, whose `tasks` option takes it as a maintenance task).
 *
 * @example
 * ```ts
 * const sealed = await task.run(tenantId); // events sealed by this run
 * ```
 */
export interface AuditSealTask {
  /**
   * Seals every event of the tenant that is unsealed when it runs, batch after batch, and
   * resolves how many it sealed. Sealing is idempotent, so a run that is retried, or that races
   * another sealer, only seals what is still unsealed.
   *
   * @throws {ValidationError} when `tenantId` is not a UUID, before the store is called
   * @throws {AuditStoreError} (or the store's own error) when the store cannot seal
   */
  run(tenantId: string): Promise<number>;
}

const SEAL_TASK_OPTIONS = ['store', 'batchSize'];

/**
 * Creates the task that seals a tenant's audit chain: it calls the store's `seal` with
 * `batchSize` until a call seals less than a full batch, so a backlog of any size is sealed in
 * bounded steps (each a short transaction on SQL stores) rather than in one long one.
 *
 * @throws {AuditConfigError} when the options are not an object or hold an option it does not
 *   know, `store` has no `seal`, or `batchSize` is not a whole number from 1 to 100000
 * @example
 * ```ts
 * import { createAuditSealTask } from '@carequeue/audit';
 * import { postgresAuditStore } from '@carequeue/audit/postgres';
 * import { createJobScheduler, MAINTENANCE_JOBS } from '@carequeue/queue';
 *
 * const sealAudit = createAuditSealTask({ store: postgresAuditStore({ executor }) });
 * createJobScheduler({ executor, handlers: {}, tasks: { [MAINTENANCE_JOBS.auditSeal]: sealAudit } });
 * ```
 */
export function createAuditSealTask(options: AuditSealTaskOptions): AuditSealTask {
  checkFactoryOptions(
    'createAuditSealTask',
    optionsIssues(options, SEAL_TASK_OPTIONS, (fields) => [
      ...portIssues(fields['store'], 'options.store', 'an AuditStore', ['seal']),
      ...integerIssues(fields['batchSize'], 'options.batchSize', {
        min: 1,
        max: MAX_SEAL_LIMIT,
        optional: true,
      }),
    ]),
  );
  const { store } = options;
  const batchSize = options.batchSize ?? 1000;
  return {
    async run(tenantId) {
      checkArguments('AuditSealTask.run', uuidIssues(tenantId, 'tenantId'));
      let total = 0;
      let sealed: number;
      do {
        sealed = await store.seal(tenantId, batchSize);
        total += sealed;
        // A full batch may mean more is waiting; a short one means the chain has caught up.
      } while (sealed >= batchSize);
      return total;
    },
  };
}
