/**
 * Argument schemas of the job scheduler: what `schedule`, `cancel` and `retryDead` accept, within
 * the `CHECK`s of `queue.jobs` and what `jsonb` can hold.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { multiLine, singleLine, TenantId } from '@carequeue/core';
import { ExecutorArgument } from '../arguments/common-arguments.js';
import { END_OF_SUPPORTED_INSTANTS } from '../availability/index.js';

/** The most fields a job payload may carry: payloads hold ids, not documents. */
export const MAX_JOB_PAYLOAD_FIELDS = 50;

const JobKind = singleLine(z.string().min(1).max(100));
const UniqueKey = singleLine(z.string().min(1).max(200));

// `jsonb` refuses a NUL in a key or a string, so one would fail in Postgres and not in memory.
const JobPayload = z
  .record(
    singleLine(z.string().min(1).max(100)),
    z.union([multiLine(z.string().max(2000)), z.number(), z.boolean(), z.null()]),
  )
  .refine((payload) => Object.keys(payload).length <= MAX_JOB_PAYLOAD_FIELDS, {
    message: `must have at most ${MAX_JOB_PAYLOAD_FIELDS} fields`,
  });

const NewJobInput = z.strictObject({
  tenantId: TenantId,
  kind: JobKind,
  uniqueKey: UniqueKey,
  runAt: z.number().min(0).lt(END_OF_SUPPORTED_INSTANTS),
  payload: JobPayload.optional(),
  maxAttempts: z.int().min(1).max(100).optional(),
});

/** Argument schemas of each `JobScheduler` method that takes arguments, keyed by method name. */
export const jobArguments = {
  schedule: z.object({ tx: ExecutorArgument, job: NewJobInput }),
  cancel: z.object({ tenantId: TenantId, uniqueKey: UniqueKey }),
  retryDead: z.object({ kind: JobKind.optional() }),
};
