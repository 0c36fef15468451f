/**
 * Checks of the options given to the factories of `@carequeue/queue`, so that a `null` options
 * object, a missing port or a number out of range is refused with a {@link QueueConfigError}
 * naming the option, instead of a raw `TypeError` now or on the first call.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { safeIssues } from '@carequeue/core';
import { QueueConfigError } from './queue-config-error.js';

/** The most issues one error lists: a hostile options object can fail once per option. */
const MAX_LISTED_ISSUES = 5;

/**
 * A port option: an object (or function) with every method in `methods`. Only the shape is
 * checked, so test doubles and wrappers are accepted.
 *
 * @example
 * ```ts
 * const clock = portOption<Clock>('a Clock', ['now']);
 * ```
 */
export function portOption<T>(what: string, methods: readonly string[]): z.ZodType<T> {
  return z.custom<T>(
    (value) =>
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    { message: `must be ${what} (with ${methods.join(', ')})` },
  );
}

/**
 * A function option.
 *
 * @example
 * ```ts
 * const onError = functionOption<(error: unknown) => void>().optional();
 * ```
 */
export function functionOption<T>(): z.ZodType<T> {
  return z.custom<T>((value) => typeof value === 'function', { message: 'must be a function' });
}

/** A `SqlExecutor` option (a pool, or the transaction of the caller). */
export const executorOption = portOption<unknown>('a SqlExecutor', ['query']);

/** A `Clock` option. */
export const clockOption = portOption<unknown>('a Clock', ['now']);

/** A `Logger` option. */
export const loggerOption = portOption<unknown>('a Logger', ['child', 'warn', 'error']);

/**
 * Returns `value` when it matches `schema`; otherwise throws a {@link QueueConfigError} naming
 * `factory` and the options at fault (paths and rules only, never a value).
 *
 * @param argument - the argument's name in the message, `options` unless told; `''` when
 * `value` gathers several arguments by name.
 * @throws {@link QueueConfigError} when `value` does not match `schema`.
 * @example
 * ```ts
 * checkFactoryOptions('createQueueService', QueueServiceOptionsSchema, options);
 * ```
 */
export function checkFactoryOptions<T>(
  factory: string,
  schema: z.ZodType,
  value: T,
  argument = 'options',
): T {
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return value;
  const problems = safeIssues(schema, result.error.issues.slice(0, MAX_LISTED_ISSUES)).map(
    (issue) =>
      `${[argument, issue.path].filter((part) => part !== '').join('.') || 'arguments'} ${issue.message}`,
  );
  throw new QueueConfigError(`${factory}: ${problems.join('; ')}.`);
}

/** An `AuditStore` option of a memory unit of work. */
export const auditStoreOption = portOption<unknown>('an AuditStore', ['append']);

/**
 * A repository option of a memory unit of work: an object with `get` (the repositories of this
 * package all have it; the rest of the port is the adapter's type).
 *
 * @example
 * ```ts
 * const Options = z.object({ clinics: repositoryOption('a ClinicRepository') });
 * ```
 */
export function repositoryOption(what: string): z.ZodType {
  return portOption(what, ['get']);
}

/** The `SqlExecutor` option of a SQL unit of work, which opens a transaction per unit. */
export const unitOfWorkExecutorOption = portOption<unknown>('a SqlExecutor', [
  'query',
  'transaction',
]);

/** The options of a SQL repository: `{ executor }`. */
export const SqlRepositoryOptionsSchema = z.object({ executor: executorOption });

/** The options of a SQL unit of work: `{ executor }`, able to open a transaction. */
export const SqlUnitOfWorkOptionsSchema = z.object({ executor: unitOfWorkExecutorOption });
