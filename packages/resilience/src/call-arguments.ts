/**
 * Checks of the arguments of the policies' and services' methods. TypeScript types do not reach
 * JavaScript callers, so each method checks what it reads and refuses a bad argument with core's
 * `ValidationError` (400) naming the argument path, never its value, before it runs an operation
 * or calls a store. Options given to a factory or constructor are configuration and are refused
 * with `ResilienceConfigError` instead (see `config/`).
 *
 * @packageDocumentation
 */
import { ValidationError, type ErrorIssue } from '@carequeue/core';
import type { ExecuteOptions } from './execution-context.js';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The longest bulkhead or rate-limit key accepted. */
export const MAX_KEY_LENGTH = 512;

/**
 * Throws a `ValidationError` for `operation` when `issues` is not empty.
 *
 * @throws `ValidationError` listing the issues.
 * @example
 * ```ts
 * throwIfInvalid('Bulkhead.execute', operationIssues(operation));
 * ```
 */
export function throwIfInvalid(operation: string, issues: readonly ErrorIssue[]): void {
  if (issues.length === 0) return;
  throw new ValidationError(
    `The arguments of ${operation} are invalid. Fix the arguments listed in issues.`,
    issues,
  );
}

/**
 * Whether `value` is an object whose fields can be read: not `null`, not an array.
 *
 * @example
 * ```ts
 * isRecord({ key: 'clinic-1' }); // true
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The issue of an argument that must be an object, if it is not one.
 *
 * @example
 * ```ts
 * recordIssues(query, 'query'); // [] for {}
 * ```
 */
export function recordIssues(value: unknown, path: string): ErrorIssue[] {
  return isRecord(value) ? [] : [{ path, message: 'must be an object' }];
}

/**
 * The issue of an argument that must be a function, if it is not one.
 *
 * @example
 * ```ts
 * functionIssues(operation, 'operation'); // [] for a function
 * ```
 */
export function functionIssues(value: unknown, path: string): ErrorIssue[] {
  return typeof value === 'function' ? [] : [{ path, message: 'must be a function' }];
}

/**
 * The issue of a text argument, if it is not a string of `min` to `max` characters free of NUL
 * characters and unpaired surrogates (which Postgres and Redis keys cannot hold faithfully).
 *
 * @example
 * ```ts
 * textIssues(kind, 'capture.kind', 1, 200); // [] for 'sms.reminder'
 * ```
 */
export function textIssues(value: unknown, path: string, min: number, max: number): ErrorIssue[] {
  return typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    !value.includes('\u0000') &&
    !UNPAIRED_SURROGATE.test(value)
    ? []
    : [
        {
          path,
          message: `must be a string of ${min} to ${max} characters without NUL characters or unpaired surrogates`,
        },
      ];
}

/**
 * The issue of a number argument, if it is not a finite number from `min` to `max`.
 *
 * @example
 * ```ts
 * numberIssues(options.cost, 'options.cost', Number.MIN_VALUE, 100); // [] for 1
 * ```
 */
export function numberIssues(value: unknown, path: string, min: number, max: number): ErrorIssue[] {
  return typeof value === 'number' && value >= min && value <= max
    ? []
    : [{ path, message: `must be a number from ${min} to ${max}` }];
}

/**
 * The issue of a count argument, if it is not an integer from `min` to `max`.
 *
 * @example
 * ```ts
 * integerIssues(query.limit, 'query.limit', 1, 500); // [] for 50
 * ```
 */
export function integerIssues(
  value: unknown,
  path: string,
  min: number,
  max: number,
): ErrorIssue[] {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? []
    : [{ path, message: `must be an integer from ${min} to ${max}` }];
}

/**
 * The issue of an optional abort signal, if it is given and not an `AbortSignal`.
 *
 * @example
 * ```ts
 * signalIssues(options.signal, 'options.signal'); // [] when left out
 * ```
 */
export function signalIssues(value: unknown, path: string): ErrorIssue[] {
  return value === undefined || value instanceof AbortSignal
    ? []
    : [{ path, message: 'must be an AbortSignal or be left out' }];
}

/**
 * The issues of the `options` of a policy's `execute`: left out, or an object whose `signal` is
 * an `AbortSignal`, `deadline` a finite number of epoch milliseconds and `key` a string of at
 * most 512 characters, each when given.
 *
 * @example
 * ```ts
 * executeOptionsIssues({ key: clinicId, signal }); // []
 * ```
 */
export function executeOptionsIssues(options: ExecuteOptions | undefined): ErrorIssue[] {
  if (options === undefined) return [];
  if (!isRecord(options)) return [{ path: 'options', message: 'must be an object or be left out' }];
  const { signal, deadline, key } = options;
  return [
    ...signalIssues(signal, 'options.signal'),
    ...(deadline === undefined
      ? []
      : numberIssues(deadline, 'options.deadline', -Number.MAX_VALUE, Number.MAX_VALUE)),
    ...(key === undefined ? [] : textIssues(key, 'options.key', 0, MAX_KEY_LENGTH)),
  ];
}

/**
 * Refuses the arguments of a policy's `execute` unless `operation` is a function and `options`
 * passes {@link executeOptionsIssues}. The common call (a function and no options, or valid
 * ones) costs a type check or two.
 *
 * @throws `ValidationError` naming the argument.
 * @example
 * ```ts
 * checkExecuteArguments('Bulkhead.execute', operation, options);
 * ```
 */
export function checkExecuteArguments(
  method: string,
  operation: unknown,
  options: ExecuteOptions | undefined,
): void {
  if (typeof operation === 'function' && options === undefined) return;
  throwIfInvalid(method, [
    ...functionIssues(operation, 'operation'),
    ...executeOptionsIssues(options),
  ]);
}
