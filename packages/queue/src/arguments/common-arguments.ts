/**
 * Argument schemas shared by the services of `@carequeue/queue`: the bounds every public method
 * applies before it calls a port (ADR 0013, "String limits").
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';

/**
 * The longest page cursor accepted: cursors made by `encodeCursor` are about 70 characters.
 */
export const MAX_CURSOR_LENGTH = 512;

/**
 * The most clinics one record (a patient, a staff member, an invitation) may reference.
 */
export const MAX_REFERENCED_CLINICS = 200;

/**
 * A page request: `limit` is any finite number (it is clamped to 1..`MAX_PAGE_SIZE`), `cursor`
 * the `nextCursor` of a previous page.
 */
export const PageRequestArgument = z.strictObject({
  limit: z.number().optional(),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
});

/** The clinics a record is registered at or assigned to. */
export const ClinicIdsArgument = z.array(ClinicId).max(MAX_REFERENCED_CLINICS);

/**
 * The `expectedVersion` of an update: the version the caller read.
 */
export const ExpectedVersionArgument = z.int().nonnegative();

/**
 * A `SqlExecutor`: a pool, or the transaction of the caller. Only its shape is checked.
 */
export const ExecutorArgument = z.custom<SqlExecutor>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<SqlExecutor>).query === 'function',
  { message: 'must be a SqlExecutor (a pool, or the transaction of the caller)' },
);

/** Epoch milliseconds: a finite number. */
export const EpochMillisecondsArgument = z.number();
